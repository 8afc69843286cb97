import logging
from datetime import date, timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalMessages(WoonkansPortalCommon):
    """Every message and attachment on case data, read by every portal user over every path:
    a partner sees exactly the discussion (comments with the Discussions subtype) of the
    records it may read, and no attachment except the documents of its cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tracking = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        for case in (cls.case_a, cls.case_b):
            own = cls.children[case]
            # a note, a comment, a tracking change, a card and a condition change, as the code posts them
            case.message_post(body=f"STAFF-NOTE-{case.id}", subtype_xmlid="mail.mt_note")
            case.message_post(body=f"STAFF-LOG-{case.id}")
            case.message_post(body=f"SENT-MESSAGE-{case.id}", message_type="comment", subtype_xmlid="mail.mt_comment")
            tracking["woonkans.case"].browse(case.id).with_context(woonkans_gate_override="test").write(
                {
                    "court_date": date.today() + timedelta(days=20),
                    "stage_id": cls.env.ref("woonkans_case.case_stage_intake").id,
                }
            )
            tracking.cr.precommit.run()
            cls.env["woonkans.card.event"].create({"case_id": case.id, "reason": f"CARD-REASON-{case.id}"})
            own["woonkans.condition.line"].write({"status": "met"})
            activity = case.activity_schedule(
                "mail.mail_activity_data_todo", summary=f"ACTIVITY-{case.id}", user_id=cls.coordinator.id
            )
            activity.action_feedback(feedback=f"ACTIVITY-DONE-{case.id}")
            template = cls.env.ref("woonkans_case.mail_template_woonkans_case_referral_confirmation")
            template.with_context(mail_create_nolog=False).send_mail(case.id)
            own["project.task"].message_post(
                body=f"TASK-COMMENT-{case.id}", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            own["project.task"].message_post(
                body=f"TASK-NOTE-{case.id}", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            own["woonkans.tenancy.agreement"].message_post(
                body=f"TENANCY-COMMENT-{case.id}", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            case.project_id.message_post(
                body=f"PLAN-COMMENT-{case.id}", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            # a staff message that names a partner as recipient and an explicit internal comment
            case.message_post(
                body=f"INTERNAL-COMMENT-{case.id}",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                is_internal=True,
                partner_ids=(cls.user_c1.partner_id | cls.user_a1.partner_id | cls.user_b1.partner_id).ids,
            )
        tracking.cr.precommit.run()
        # the former party (org C) once wrote in the chatter and still follows the case
        cls.case_a.message_subscribe(cls.user_c1.partner_id.ids)
        cls.c1_comment = cls.case_a.message_post(
            body="C1-COMMENT",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=cls.user_c1.partner_id.id,
        )

    # ------------------------------------------------------------------
    # the expected set, computed from the declared rule only
    # ------------------------------------------------------------------

    def _expected(self, user, messages):
        """Comments with the Discussions subtype, not marked internal, on records ``user`` may read."""
        comment = self.env.ref("mail.mt_comment")
        expected = set()
        for message in messages:
            if message.message_type != "comment" or message.subtype_id != comment or message.is_internal:
                continue
            Model = self.env[message.model].with_user(user)
            if self.env["ir.model.access"].with_user(user).check(
                message.model, "read", raise_exception=False
            ) and Model.search([("id", "=", message.res_id)]):
                expected.add(message.id)
        return expected

    def _expected_attachments(self, user):
        """The documents and evidence of the cases ``user`` may read, as the portal page lists them."""
        env = self.env(user=user)
        expected = set()
        for case in env["woonkans.case"].search([]):
            notes = self.env["mail.message"].search(
                [
                    ("model", "=", "woonkans.case"),
                    ("res_id", "=", case.id),
                    ("subtype_id", "!=", self.env.ref("mail.mt_comment").id),
                ]
            )
            documents = self.env["ir.attachment"].search(
                [("res_model", "=", "woonkans.case"), ("res_id", "=", case.id), ("res_field", "=", False)]
            )
            lines = env["woonkans.condition.line"].search([("case_id", "=", case.id)])
            expected |= set((documents - notes.attachment_ids).ids) | set(lines.sudo().evidence_ids.ids)
        return expected

    def _users(self):
        return self.user_a1 | self.user_b1 | self.user_c1 | self.demo_portal_users()

    # ------------------------------------------------------------------
    # the tests
    # ------------------------------------------------------------------

    def test_posted_messages_follow_the_rule(self):
        """What the code posts is internal unless it is for partners (the fixture's own posts included)."""
        messages = self.case_data_messages()
        comment = self.env.ref("mail.mt_comment")
        for message in messages:
            for_partners = message.message_type == "comment" and message.subtype_id == comment
            with self.subTest(message=message.id, body=message.body):
                self.assertEqual(message.is_internal, not for_partners or "INTERNAL-COMMENT" in (message.body or ""))
        bodies = " ".join(messages.mapped(lambda m: str(m.body)))
        for text in ("STAFF-NOTE", "STAFF-LOG", "CARD-REASON", "SENT-MESSAGE", "TASK-NOTE", "ACTIVITY-DONE"):
            self.assertIn(text, bodies)
        self.assertTrue(messages.filtered("tracking_value_ids"), "no tracking message in the fixture")
        self.assertTrue(
            messages.filtered(lambda m: m.message_type == "email_outgoing"), "no template e-mail in the fixture"
        )
        _logger.info("TestPortalMessages: %s posted messages checked against the rule", len(messages))

    def test_each_user_reads_exactly_the_partner_messages(self):
        messages = self.case_data_messages()
        attachments = self.case_data_attachments()
        ids = messages.ids
        threads = sorted({(m.model, m.res_id) for m in messages})
        self.assertGreater(len(ids), 50)
        tried = 0
        for user in self._users():
            expected = self._expected(user, messages)
            self.login_as(user)
            label = user.login
            with self.subTest(user=label, path="search_read"):
                found = self.jsonrpc_or_none(
                    "/web/dataset/call_kw/mail.message/search_read",
                    {
                        "model": "mail.message",
                        "method": "search_read",
                        "args": [[("id", "in", ids)], ["body"]],
                        "kwargs": {},
                    },
                )
                self.assertEqual({m["id"] for m in found or []}, expected, label)
                tried += 1
            for message in messages:
                with self.subTest(user=label, path="read", message=message.id):
                    read = self.jsonrpc_or_none(
                        "/web/dataset/call_kw/mail.message/read",
                        {"model": "mail.message", "method": "read", "args": [[message.id], ["body"]], "kwargs": {}},
                    )
                    self.assertEqual(bool(read), message.id in expected, f"{label} read {message.id}: {message.body}")
                    tried += 1
                if message.author_id != user.partner_id:
                    with self.subTest(user=label, path="update_content", message=message.id):
                        updated = self.jsonrpc_or_none(
                            "/mail/message/update_content",
                            {"message_id": message.id, "update_data": {"body": "CHANGED"}},
                        )
                        self.assertIsNone(updated, f"{label} changed message {message.id}")
                        tried += 1
            seen = set()
            for model, res_id in threads:
                with self.subTest(user=label, path="/mail/thread/messages", thread=(model, res_id)):
                    result = self.jsonrpc_or_none(
                        "/mail/thread/messages",
                        {"thread_model": model, "thread_id": res_id, "fetch_params": {"limit": 1000}},
                    )
                    thread_ids = {m.id for m in messages if (m.model, m.res_id) == (model, res_id)}
                    got = set((result or {}).get("messages", [])) & thread_ids
                    self.assertEqual(got, expected & thread_ids, f"{label} {model} {res_id}")
                    seen |= got
                    tried += 1
                with self.subTest(user=label, path="/mail/chatter_fetch", thread=(model, res_id)):
                    result = self.jsonrpc_or_none(
                        "/mail/chatter_fetch",
                        {"thread_model": model, "thread_id": res_id, "fetch_params": {"limit": 1000}},
                    )
                    got = set((result or {}).get("messages", [])) & thread_ids
                    self.assertLessEqual(got, expected & thread_ids, f"{label} chatter {model} {res_id}")
                    tried += 1
                with self.subTest(user=label, path="/mail/data", thread=(model, res_id)):
                    data = self.jsonrpc_or_none(
                        "/mail/data",
                        {
                            "fetch_params": [
                                [
                                    "mail.thread",
                                    {
                                        "thread_model": model,
                                        "thread_id": res_id,
                                        "request_list": ["attachments", "followers"],
                                    },
                                ]
                            ]
                        },
                    )
                    shown = {a["id"] for a in (data or {}).get("ir.attachment", [])}
                    self.assertLessEqual(
                        shown & set(attachments.ids),
                        self._expected_attachments(user) | self._message_attachments(expected),
                    )
                    tried += 1
            self.assertEqual(seen, expected, f"{label}: the threads show other messages than expected")
            expected_attachments = self._expected_attachments(user)
            for attachment in attachments:
                with self.subTest(user=label, path="attachment", attachment=attachment.id):
                    read = self.jsonrpc_or_none(
                        "/web/dataset/call_kw/ir.attachment/read",
                        {"model": "ir.attachment", "method": "read", "args": [[attachment.id], ["name"]], "kwargs": {}},
                    )
                    self.assertFalse(read, f"{label} read attachment {attachment.id} over RPC")
                    with mute_logger("odoo.http"):
                        response = self.url_open(f"/web/content/{attachment.id}")
                    self.assertNotEqual(response.content, attachment.raw, f"{label} /web/content/{attachment.id}")
                    if (
                        attachment.res_model == "woonkans.case"
                        or attachment in self.env["woonkans.condition.line"].sudo().search([]).evidence_ids
                    ):
                        case = self.env["woonkans.case"].browse(
                            attachment.res_id
                            if attachment.res_model == "woonkans.case"
                            else self.env["woonkans.condition.line"].browse(attachment.res_id).case_id.id
                        )
                        with mute_logger("odoo.http"):
                            response = self.url_open(f"/my/woonkans/{case.id}/document/{attachment.id}")
                        self.assertEqual(
                            response.status_code == 200,
                            attachment.id in expected_attachments,
                            f"{label} document {attachment.id}",
                        )
                    tried += 3
        _logger.info(
            "TestPortalMessages: %s cases tried (%s messages, %s attachments, %s users)",
            tried,
            len(messages),
            len(attachments),
            len(self._users()),
        )

    def _message_attachments(self, message_ids):
        return set(self.env["mail.message"].browse(message_ids).attachment_ids.ids)
