import base64
import re
from datetime import date, timedelta

import requests

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import consents

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# a link, form or source that hands out a token, a signed hash or a partner id
TOKEN_LINK_RE = re.compile(r"""(?:href|action|src)\s*=\s*["'][^"']*(?:access_token=|[?&;]hash=|[?&;]pid=)""", re.I)
DEMO_PORTAL_LOGINS = ("corporatie", "wijteam")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class WoonkansPortalCommon(HttpCase):
    """Two organisations with two portal contacts each, a revoked contact, an
    organisation whose party line ended, and a case per organisation with a
    record of every child model.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        ref = cls.env.ref
        Partner = cls.env["res.partner"]
        cls.org_a = Partner.create(
            {
                "name": "Woonstichting Noorderzon",
                "is_company": True,
                "email": "info@noorderzon.example.com",
                "woonkans_role_ids": [Command.set(ref("woonkans_case.organisation_role_housing_corporation").ids)],
            }
        )
        cls.org_b = Partner.create(
            {
                "name": "Hulpverlening De Brug",
                "is_company": True,
                "woonkans_role_ids": [Command.set(ref("woonkans_case.organisation_role_aid_organisation").ids)],
            }
        )
        cls.org_c = Partner.create({"name": "Buurtteam Oost", "is_company": True})

        def portal_user(login, name, org):
            contact = Partner.create({"name": name, "parent_id": org.id, "email": f"{login}@example.com"})
            return new_test_user(cls.env, login=login, groups="base.group_portal", partner_id=contact.id)

        cls.user_a1 = portal_user("wkp_a1", "Anouk Aalders", cls.org_a)
        cls.user_a2 = portal_user("wkp_a2", "Arjen Bakker", cls.org_a)
        cls.user_b1 = portal_user("wkp_b1", "Bram Claassen", cls.org_b)
        cls.user_b2 = portal_user("wkp_b2", "Bente Dijkstra", cls.org_b)
        cls.user_c1 = portal_user("wkp_c1", "Cor Evers", cls.org_c)
        cls.user_former = portal_user("wkp_former", "Fenna Gerritsen", cls.org_a)
        cls.coordinator = new_test_user(
            cls.env, login="wkp_coord", groups="woonkans_case.group_woonkans_coordinator", name="Coby Hendriks"
        )

        cls.client_a = Partner.create({"name": "Iris Jansen", "woonkans_is_client": True, "zip": "9712 AB"})
        cls.client_b = Partner.create({"name": "Jan Kok", "woonkans_is_client": True, "zip": "7511 AA"})
        trajectory = ref("woonkans_case.trajectory_type_second_chance")
        Case = cls.env["woonkans.case"]
        cls.case_a = Case.create(
            {
                "client_id": cls.client_a.id,
                "target_group": "evicted",
                "referrer_id": cls.org_a.id,
                "consent_ids": consents(cls.org_a, cls.org_c),
                "eviction_date": date.today() - timedelta(days=40),
                "note_internal": "<p>SECRET-INTERNAL-A</p>",
            }
        )
        cls.case_b = Case.create(
            {
                "client_id": cls.client_b.id,
                "target_group": "sitting_tenant",
                "referrer_id": cls.org_b.id,
                "consent_ids": consents(cls.org_b, cls.org_c),
                "note_internal": "<p>SECRET-INTERNAL-B</p>",
            }
        )
        # org A is a party here, but the client gave no consent for sharing
        cls.case_a_no_consent = Case.create(
            {"client_id": cls.client_a.id, "target_group": "vulnerable", "referrer_id": cls.org_a.id}
        )
        # org C's line on case_a ended yesterday
        cls.party_c = cls.env["woonkans.case.party"].create(
            {
                "case_id": cls.case_a.id,
                "partner_id": cls.org_c.id,
                "role_id": ref("woonkans_case.party_role_social_team").id,
                "date_from": date.today() - timedelta(days=100),
                "date_to": date.today() + timedelta(days=5),
            }
        )
        cls.env["woonkans.case.party"].create(
            {"case_id": cls.case_b.id, "partner_id": cls.org_c.id, "date_to": date.today() + timedelta(days=5)}
        )
        cls.env.cr.execute(
            "UPDATE woonkans_case_party SET date_to = %s WHERE partner_id = %s",
            [date.today() - timedelta(days=1), cls.org_c.id],
        )
        cls.env.invalidate_all()
        cls.env["woonkans.case.party"]._cron_update_current()

        version = ref("woonkans_case.assessment_version_zrm_2017")
        domain = cls.env["woonkans.life.domain"].search([("version_id", "=", version.id)], limit=1)
        cls.children = {}
        for case, org in ((cls.case_a, cls.org_a), (cls.case_b, cls.org_b)):
            case.trajectory_type_id = trajectory
            # the consent condition starts met (the case has consent): the partner's lines are open ones
            lines = case.condition_line_ids.filtered(lambda line: line.status == "open")
            lines[:2].responsible_partner_id = org
            arrangement = cls.env["woonkans.payment.arrangement"].create(
                {
                    "case_id": case.id,
                    "creditor_id": org.id,
                    "total_debt": 1200,
                    "monthly_amount": 100,
                    "date_start": date.today().replace(day=1),
                }
            )
            record = cls.env["woonkans.payment.record"].create({"arrangement_id": arrangement.id, "status": "on_time"})
            assessment = cls.env["woonkans.assessment"].create({"case_id": case.id, "version_id": version.id})
            score = cls.env["woonkans.assessment.score"].search([("assessment_id", "=", assessment.id)], limit=1)
            if not score:
                score = cls.env["woonkans.assessment.score"].create(
                    {"assessment_id": assessment.id, "domain_id": domain.id, "score": "2"}
                )
            card = cls.env["woonkans.card.event"].create({"case_id": case.id, "reason": "Rent not paid"})
            tenancy = cls.env["woonkans.tenancy.agreement"].create(
                {"case_id": case.id, "corporation_id": org.id, "contract_type": "three_party"}
            )
            case.action_create_plan()
            task = cls.env["project.task"].create(
                {
                    "name": f"Budget training {case.name}",
                    "project_id": case.project_id.id,
                    "woonkans_partner_id": org.id,
                }
            )
            internal_task = cls.env["project.task"].create(
                {"name": f"Internal check {case.name}", "project_id": case.project_id.id}
            )
            document = cls.env["ir.attachment"].create(
                {"name": f"letter-{case.id}.pdf", "raw": PDF, "res_model": "woonkans.case", "res_id": case.id}
            )
            evidence = cls.env["ir.attachment"].create(
                {
                    "name": f"evidence-{case.id}.png",
                    "raw": PNG,
                    "res_model": "woonkans.condition.line",
                    "res_id": lines[0].id,
                }
            )
            lines[0].evidence_ids = [Command.link(evidence.id)]
            comment = case.message_post(
                body=f"PUBLIC-MESSAGE-{case.id}", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            note_attachment = cls.env["ir.attachment"].create(
                {"name": f"internal-{case.id}.pdf", "raw": PDF, "res_model": "woonkans.case", "res_id": case.id}
            )
            note = case.message_post(
                body="SECRET-NOTE",
                message_type="comment",
                subtype_xmlid="mail.mt_note",
                attachment_ids=note_attachment.ids,
            )
            cls.children[case] = {
                "woonkans.case.party": case.party_ids.filtered(lambda p, org=org: p.partner_id == org),
                "woonkans.condition.line": lines[0],
                "woonkans.payment.arrangement": arrangement,
                "woonkans.payment.record": record,
                "woonkans.assessment": assessment,
                "woonkans.assessment.score": score,
                "woonkans.card.event": card,
                "woonkans.tenancy.agreement": tenancy,
                "project.task": task,
                "project.project": case.project_id,
                "ir.attachment": document | evidence,
                "mail.message": comment,
            }
            cls.children[case]["internal"] = {
                "task": internal_task,
                "note": note,
                "note_attachment": note_attachment,
                "unassigned_line": lines[2:3],
            }
        # revoked: as Odoo's portal wizard does (out of portal, archived)
        cls.user_former.write(
            {"group_ids": [Command.unlink(ref("base.group_portal").id), Command.link(ref("base.group_public").id)]}
        )
        cls.user_former.active = False

    # helpers ------------------------------------------------------------

    def _case_data_domain(self, model_field, id_field):
        """Rows whose (model, id) point to case data: our models' records and the cases'
        plan tasks and projects. Computed from the tables, independently of the code under test.
        """
        plan_tasks = (
            self.env["project.task"].sudo().with_context(active_test=False).search([("woonkans_case_id", "!=", False)])
        )
        plans = (
            self.env["project.project"]
            .sudo()
            .with_context(active_test=False)
            .search([("woonkans_case_id", "!=", False)])
        )
        return [
            "|",
            "|",
            (model_field, "=like", "woonkans.%"),
            "&",
            (model_field, "=", "project.task"),
            (id_field, "in", plan_tasks.ids),
            "&",
            (model_field, "=", "project.project"),
            (id_field, "in", plans.ids),
        ]

    def case_data_messages(self):
        """Every message on case data."""
        return self.env["mail.message"].sudo().search(self._case_data_domain("model", "res_id"))

    def case_data_attachments(self):
        """Every attachment on case data."""
        return (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_field", "=", False)] + self._case_data_domain("res_model", "res_id"))
        )

    def demo_portal_users(self):
        """The demo's portal users (tools/demo_logins.txt)."""
        return self.env["res.users"].search([("login", "in", DEMO_PORTAL_LOGINS)])

    def login_as(self, user):
        """Log in as a fixture user or a demo user (their password is their login)."""
        self.authenticate(user.login, user.login)

    def assert_no_token_links(self, html, label):
        found = TOKEN_LINK_RE.findall(html or "")
        self.assertFalse(found, f"{label}: a link carries a token: {found[:3]}")

    def jsonrpc_or_none(self, route, params):
        """The result of a JSON-RPC call, or None when the server refused it."""
        try:
            with mute_logger("odoo.http", "odoo.addons.mail.models.mail_thread"):
                return self.make_jsonrpc_request(route, params)
        except (JsonRpcException, requests.HTTPError):
            return None

    def login(self, user):
        self.authenticate(user.login, user.login)

    def rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def assert_rpc_denied(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self.rpc(model, method, *args, **kwargs)
        self.assertIn(
            caught.exception.args[0],
            ("odoo.exceptions.AccessError", "odoo.exceptions.MissingError"),
            f"{model}.{method} should be refused",
        )
