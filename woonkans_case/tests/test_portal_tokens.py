import hashlib
import hmac
import logging
import re
import uuid

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.sql import column_exists

from .common_portal import PDF, WoonkansPortalCommon

_logger = logging.getLogger(__name__)

LEGACY = "legacy-token-0123456789abcdef"
INT_ARG_RE = re.compile(r"<int:(\w+)>")
ANY_ARG_RE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@tagged("post_install", "-at_install")
class TestPortalTokens(WoonkansPortalCommon):
    """Case data (cases, their children, plan tasks and plans, their attachments) never
    carries a portal access token, and no token, hash or pid opens it."""

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _portal_users(self):
        return self.user_a1 | self.user_b1 | self.user_c1 | self.demo_portal_users()

    def _our_get_routes(self):
        """The GET pages of woonkans_case, from Odoo's own routing map."""
        routes = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            endpoint = rule.endpoint
            module = getattr(endpoint, "original_endpoint", endpoint).__module__
            routing = endpoint.routing
            if not module.startswith("odoo.addons.woonkans_case."):
                continue
            if rule.rule.startswith("/report/"):
                # Odoo's report routes, which woonkans_case only overrides for a read/write
                # cursor (the read log); the route probe and the report tests call them
                continue
            if routing.get("type") != "http" or (routing.get("methods") and "GET" not in routing["methods"]):
                continue
            routes.add(rule.rule)
        return sorted(routes)

    def _urls_for(self, route, user):
        """Fill the route's parameters with ids of records ``user`` may see."""
        env = self.env(user=user)
        cases = env["woonkans.case"].search([])
        values = {
            "case_id": cases.ids,
            "page": [1, 2],
            "attachment_id": [],
            "line_id": env["woonkans.condition.line"].search([]).ids,
            # the confirmation page of a referral the user sent, by its one-time key
            "key": [
                key
                for key in self.env["woonkans.referral"]
                .sudo()
                .search([("create_uid", "=", user.id)])
                .mapped("submission_key")
                if key
            ]
            + ["not-a-key"],
        }
        for case in cases:
            lines = env["woonkans.condition.line"].search([("case_id", "=", case.id)])
            values["attachment_id"] += (
                self.env["ir.attachment"]
                .sudo()
                .search([("res_model", "=", "woonkans.case"), ("res_id", "=", case.id)])
                .ids
                + lines.sudo().evidence_ids.ids
            )
        names = [name for __, name in ANY_ARG_RE.findall(route)]
        unknown = set(names) - set(values)
        self.assertFalse(unknown, f"{route}: the test does not know how to fill {unknown}; add them to _urls_for")
        urls = [route]
        for name in names:
            urls = [
                re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), url, count=1)
                for url in urls
                for value in values[name]
            ]
        if "case_id" in names and "attachment_id" in names:
            # documents: the right case for each attachment
            pairs = []
            for case in cases:
                lines = env["woonkans.condition.line"].search([("case_id", "=", case.id)])
                attachments = (
                    self.env["ir.attachment"]
                    .sudo()
                    .search([("res_model", "=", "woonkans.case"), ("res_id", "=", case.id)])
                    | lines.sudo().evidence_ids
                )
                pairs += [
                    route.replace("<int:case_id>", str(case.id)).replace("<int:attachment_id>", str(a.id))
                    for a in attachments
                ]
            urls = pairs
        return urls

    def _assert_no_case_data_token(self, label):
        self.env.invalidate_all()
        self.assertFalse(
            column_exists(self.env.cr, "woonkans_case", "access_token"), f"{label}: cases have an access_token column"
        )
        for model in ("project.task", "project.project"):
            tokens = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([("woonkans_case_id", "!=", False), ("access_token", "!=", False)])
            )
            self.assertFalse(tokens, f"{label}: {model} of a case got a token")
        attachments = self.case_data_attachments().filtered("access_token")
        self.assertFalse(attachments, f"{label}: attachments of case data got a token")

    def _set_legacy_tokens(self):
        """Tokens as the code before 19.0.1.1.0 left them, written in the tables."""
        cr = self.env.cr
        cr.execute("ALTER TABLE woonkans_case ADD COLUMN IF NOT EXISTS access_token varchar")
        cr.execute("UPDATE woonkans_case SET access_token = %s || id", [LEGACY])
        cr.execute("UPDATE project_task SET access_token = %s || id WHERE woonkans_case_id IS NOT NULL", [LEGACY])
        cr.execute("UPDATE project_project SET access_token = %s || id WHERE woonkans_case_id IS NOT NULL", [LEGACY])
        cr.execute(
            "UPDATE ir_attachment SET access_token = %s || id WHERE id = ANY(%s)",
            [LEGACY, self.case_data_attachments().ids],
        )
        self.env.invalidate_all()

    def _csrf(self):
        page = self.url_open("/web/login")
        return re.search(r'csrf_token: "([^"]+)"', page.text).group(1)

    def _signed_hash(self, token, pid):
        """The hash Odoo's portal signs a link with (portal/models/mail_thread.py, _sign_token)."""
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hmac.new(secret.encode(), repr((self.env.cr.dbname, token, pid)).encode(), hashlib.sha256).hexdigest()

    # ------------------------------------------------------------------
    # no token is ever made
    # ------------------------------------------------------------------

    def test_portal_pages_make_and_show_no_token(self):
        routes = self._our_get_routes()
        self.assertIn("/my/woonkans/<int:case_id>", routes)
        odoo_pages = ["/my", "/my/home", "/my/tasks", "/my/projects"]
        opened = 0
        for user in self._portal_users():
            self.login_as(user)
            env = self.env(user=user)
            plan_tasks = env["project.task"].search([("woonkans_case_id", "!=", False)])
            urls = list(odoo_pages) + [f"/my/tasks/{task.id}" for task in plan_tasks]
            urls += [f"/my/projects/{p.id}" for p in env["project.project"].search([("woonkans_case_id", "!=", False)])]
            # the list first: the pager of the detail pages works from the list's history
            for route in routes:
                urls += self._urls_for(route, user)
            for url in urls:
                with self.subTest(user=user.login, url=url), mute_logger("odoo.http"):
                    response = self.url_open(url, allow_redirects=False)
                    self.assertLess(response.status_code, 500, url)
                    self.assertFalse("access_token=" in response.headers.get("Location", ""), url)
                    if "text/html" in response.headers.get("Content-Type", ""):
                        self.assert_no_token_links(response.text, f"{user.login} {url}")
                    opened += 1
        self._assert_no_case_data_token("after the portal visits")
        _logger.info(
            "TestPortalTokens: opened %s portal pages (%s routes of ours) as %s users",
            opened,
            len(routes),
            len(self._portal_users()),
        )

    def test_share_and_notification_links_carry_no_token(self):
        task = self.children[self.case_a]["project.task"]
        plan = self.case_a.project_id
        checked = 0
        for record in (task, plan):
            record = record.sudo()
            self.assertFalse(record._portal_ensure_token())
            for url in (
                record.get_portal_url(),
                record._get_share_url(),
                record._get_share_url(redirect=True, pid=self.user_a1.partner_id.id),
            ):
                self.assertNotIn("access_token=", url)
                self.assertNotIn("hash=", url)
                checked += 1
            self.assertFalse(record._sign_token(self.user_a1.partner_id.id))
        action = self.case_a.with_user(self.user_a1)._get_access_action()
        self.assertEqual(action.get("url"), f"/my/woonkans/{self.case_a.id}")
        # attachments of case data get no token, whoever asks
        for attachment in self.case_data_attachments():
            self.assertEqual(attachment.generate_access_token(), [""])
            attachment.write({"access_token": uuid.uuid4().hex})
            checked += 1
        new = self.env["ir.attachment"].create(
            {"name": "late.pdf", "raw": PDF, "res_model": "project.task", "res_id": task.id, "access_token": "x" * 32}
        )
        self.assertFalse(new.access_token)
        task.sudo().write({"access_token": "y" * 32})
        self._assert_no_case_data_token("after direct writes")
        _logger.info("TestPortalTokens: %s share links and attachments checked", checked)

    def test_migration_removes_existing_tokens(self):
        self._set_legacy_tokens()
        self.env.cr.execute(
            "SELECT count(*) FROM ir_attachment WHERE access_token IS NOT NULL AND id = ANY(%s)",
            [self.case_data_attachments().ids],
        )
        self.assertTrue(self.env.cr.fetchone()[0])
        from odoo.modules.module import get_module_path, load_script

        path = f"{get_module_path('woonkans_case')}/migrations/19.0.1.1.0/post-migration.py"
        load_script(path, "woonkans_case_post_19_0_1_1_0").migrate(self.env.cr, "19.0.1.0.0")
        self._assert_no_case_data_token("after the migration")
        hidden = self.case_data_messages().filtered(
            lambda m: not (m.message_type == "comment" and m.subtype_id == self.env.ref("mail.mt_comment"))
        )
        self.assertTrue(hidden)
        self.assertTrue(all(hidden.mapped("is_internal")))

    # ------------------------------------------------------------------
    # no token, hash or pid is honoured
    # ------------------------------------------------------------------

    def _threads(self, case):
        own = self.children[case]
        return [case, own["woonkans.tenancy.agreement"], own["project.task"], own["internal"]["task"], case.project_id]

    def _access_params(self, thread):
        """Every kind of token a thread could be opened with."""
        pid = self.user_a1.partner_id.id
        legacy = f"{LEGACY}{thread.id}"
        params = [{"token": legacy}, {"token": ""}, {"hash": self._signed_hash(legacy, pid), "pid": pid}]
        params.append({"hash": self._signed_hash(False, pid), "pid": pid})
        params.append({"hash": self._signed_hash("", pid), "pid": pid})
        if thread._name == "project.task":
            params.append({"token": legacy, "project_sharing_id": thread.project_id.id})
        return params

    def test_tokens_open_nothing(self):
        self._set_legacy_tokens()
        case = self.case_b
        secrets = [case.name, case.client_id.name, f"PUBLIC-MESSAGE-{case.id}", "SECRET-NOTE", "info@", "@example.com"]
        attachments = self.children[case]["ir.attachment"] | self.children[case]["internal"]["note_attachment"]
        messages_before = self.env["mail.message"].search_count([])
        attachments_before = self.env["ir.attachment"].search_count([])
        tried = 0
        for user in (None, self.user_a1, self.user_c1):
            if user:
                self.login(user)
            else:
                self.authenticate(None, None)
            label = user.login if user else "anonymous"
            csrf = self._csrf()
            for thread in self._threads(case):
                for params in self._access_params(thread):
                    with self.subTest(who=label, model=thread._name, params=sorted(params)):
                        model, tid = thread._name, thread.id
                        data = self.jsonrpc_or_none(
                            "/mail/data",
                            {
                                "fetch_params": [
                                    [
                                        "mail.thread",
                                        {
                                            "thread_model": model,
                                            "thread_id": tid,
                                            "request_list": [
                                                "activities",
                                                "attachments",
                                                "followers",
                                                "scheduledMessages",
                                                "suggestedRecipients",
                                                "contact_fields",
                                                "display_name",
                                            ],
                                            "access_params": params,
                                        },
                                    ]
                                ]
                            },
                        )
                        for secret in secrets:
                            self.assertNotIn(secret, str(data), f"/mail/data {label} {model}")
                        self.assertNotIn("access_token", str(data).replace("'access_token': False", ""))
                        messages = self.jsonrpc_or_none(
                            "/mail/thread/messages", {"thread_model": model, "thread_id": tid, "fetch_params": {}}
                        )
                        thread_messages = set(
                            self.env["mail.message"].sudo().search([("model", "=", model), ("res_id", "=", tid)]).ids
                        )
                        self.assertFalse(
                            set((messages or {}).get("messages", [])) & thread_messages,
                            f"/mail/thread/messages {label} {model}",
                        )
                        fetched = self.jsonrpc_or_none(
                            "/mail/chatter_fetch", {"thread_model": model, "thread_id": tid, **params}
                        )
                        self.assertFalse(
                            set((fetched or {}).get("messages", [])) & thread_messages,
                            f"/mail/chatter_fetch {label} {model}",
                        )
                        init = self.jsonrpc_or_none(
                            "/portal/chatter_init", {"thread_model": model, "thread_id": tid, **params}
                        )
                        for secret in secrets:
                            self.assertNotIn(secret, str(init), f"/portal/chatter_init {label} {model}")
                        self.jsonrpc_or_none(
                            "/mail/message/post",
                            {
                                "thread_model": model,
                                "thread_id": tid,
                                "post_data": {
                                    "body": f"INTRUSION-{label}",
                                    "message_type": "comment",
                                    "subtype_xmlid": "mail.mt_comment",
                                },
                                **params,
                            },
                        )
                        with mute_logger("odoo.http"):
                            upload = self.url_open(
                                "/mail/attachment/upload",
                                data={"thread_id": tid, "thread_model": model, "csrf_token": csrf, **params},
                                files={"ufile": ("intrusion.pdf", PDF, "application/pdf")},
                            )
                        self.assertNotEqual(upload.status_code, 200, f"/mail/attachment/upload {label} {model}")
                        for message in self.env["mail.message"].search([("model", "=", model), ("res_id", "=", tid)]):
                            updated = self.jsonrpc_or_none(
                                "/mail/message/update_content",
                                {"message_id": message.id, "update_data": {"body": "CHANGED"}, **params},
                            )
                            self.assertIsNone(updated, f"/mail/message/update_content {label} {message.id}")
                        tried += 1
            for attachment in attachments:
                tokens = [
                    f"{LEGACY}{attachment.id}",
                    attachment.sudo()._get_raw_access_token(),
                    attachment.sudo()._get_thumbnail_token(),
                    attachment.sudo()._get_ownership_token(),
                ]
                for token in tokens:
                    for url in (
                        f"/web/content/{attachment.id}?access_token={token}",
                        f"/web/content/ir.attachment/{attachment.id}/raw?access_token={token}",
                        f"/web/content?model=ir.attachment&id={attachment.id}&field=raw&access_token={token}",
                        f"/web/image/{attachment.id}?access_token={token}",
                        f"/web/image/ir.attachment/{attachment.id}/thumbnail?access_token={token}",
                        f"/mail/attachment/pdf_first_page/{attachment.id}?access_token={token}",
                    ):
                        with self.subTest(who=label, url=url), mute_logger("odoo.http"):
                            response = self.url_open(url)
                            self.assertNotEqual(response.content, attachment.sudo().raw, url)
                            self.assertNotIn(b"%PDF", response.content[:20], url)
                            tried += 1
            for url in (
                f"/my/woonkans/{case.id}?access_token={LEGACY}{case.id}",
                f"/mail/view?model=woonkans.case&res_id={case.id}&access_token={LEGACY}{case.id}",
                f"/my/tasks/{self.children[case]['project.task'].id}?access_token={LEGACY}{self.children[case]['project.task'].id}",
                f"/my/projects/{case.project_id.id}?access_token={LEGACY}{case.project_id.id}",
                f"/my/projects/{case.project_id.id}/task/{self.children[case]['project.task'].id}?access_token={LEGACY}{case.project_id.id}",
                f"/report/pdf/woonkans_case.portal_my_woonkans_case/{case.id}?access_token={LEGACY}{case.id}",
                f"/report/html/woonkans_case.portal_my_woonkans_case/{case.id}?access_token={LEGACY}{case.id}",
            ) + tuple(
                f"/report/{kind}/{report.report_name}/{case.id}?access_token={LEGACY}{case.id}"
                for report in self.env["ir.actions.report"].search([("model", "in", ("woonkans.case", "project.task"))])
                for kind in ("html", "pdf")
            ):
                with self.subTest(who=label, url=url), mute_logger("odoo.http"):
                    response = self.url_open(url)
                    if not url.startswith("/report/"):  # errors of the report routes are another class of test
                        self.assertLess(response.status_code, 500, url)
                    for secret in secrets[:2] + [self.children[case]["project.task"].name]:
                        self.assertNotIn(secret, response.text, url)
                    tried += 1
        self.assertEqual(
            self.env["mail.message"].search_count([]), messages_before, "a message was posted with a token"
        )
        self.assertEqual(
            self.env["ir.attachment"].search_count([]), attachments_before, "a file was uploaded with a token"
        )
        _logger.info("TestPortalTokens: %s token cases tried, none opened anything", tried)
