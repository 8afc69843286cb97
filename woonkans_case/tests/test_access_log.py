import html
import json
import logging
import re
from datetime import datetime, timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from .common import WoonkansCaseCommon

_logger = logging.getLogger(__name__)


class WoonkansAccessLogCommon(WoonkansCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.privacy_officer = new_test_user(
            cls.env, login="wk_privacy", groups="woonkans_case.group_woonkans_privacy_officer", name="Pia Privacy"
        )
        cls.case = cls._create_case(
            trajectory_type_id=cls.second_chance.id, note_internal="<p>Schuldhulp loopt</p>", description="<p>x</p>"
        )
        cls.assessment = cls.env["woonkans.assessment"].create(
            {"case_id": cls.case.id, "version_id": cls.env.ref("woonkans_case.assessment_version_zrm_2017").id}
        )
        cls.referral = cls.env["woonkans.referral"].create(
            {
                "client_name": "Sanne de Vries",
                "target_group": "evicted",
                "referrer_id": cls.corporation.id,
                "description": "Verslaving en schulden; reclassering betrokken",
                "decline_message": "Liever eerst verslavingszorg",
                "team_id": cls.team.id,
                "case_id": cls.case.id,
            }
        )
        cls.Log = cls.env["woonkans.access.log"]

    def _entries(self, user, records):
        return self.Log.search(
            [("user_id", "=", user.id), ("res_model", "=", records._name), ("res_id", "in", records.ids)]
        )


@tagged("post_install", "-at_install")
class TestAccessLog(WoonkansAccessLogCommon):
    """Every sensitive field of every logged model, read as a caseworker, is logged; other fields are not."""

    def test_every_sensitive_field_is_logged(self):
        mixin = self.env["woonkans.access.logged.mixin"]
        models = sorted(type(mixin)._inherit_children)
        self.assertIn("woonkans.case", models)
        self.assertIn("woonkans.assessment", models)
        count = 0
        for model_name in models:
            Model = self.env[model_name]
            if not Model._woonkans_sensitive_fields:
                continue
            field = Model._woonkans_case_field or "id"
            record = Model.search([(field, "=", self.case.id)], limit=1)
            self.assertTrue(record, model_name)
            plain = [name for name in ("display_name", "create_date") if name not in Model._woonkans_sensitive_fields]
            for fname in Model._woonkans_sensitive_fields:
                with self.subTest(model=model_name, field=fname):
                    before = len(self._entries(self.caseworker, record))
                    record.with_user(self.caseworker).read(plain)
                    self.assertEqual(len(self._entries(self.caseworker, record)), before, "a plain read is not logged")
                    record.with_user(self.caseworker).read([fname, *plain])
                    entries = self._entries(self.caseworker, record)
                    self.assertEqual(len(entries), before + 1)
                    entry = entries[0]
                    self.assertEqual(entry.field_names, fname)
                    self.assertEqual(entry.case_id, self.case)
                    self.assertEqual(entry.client_id, self.client)
                    self.assertEqual(entry.route, "server")
                    count += 1
        _logger.info(f"TestAccessLog: {count} sensitive fields checked over {len(models)} models")

    def test_search_read_and_export_are_logged(self):
        self.caseworker.group_ids += self.env.ref("base.group_allow_export")
        Case = self.env["woonkans.case"].with_user(self.caseworker)
        Case.search_read([("id", "=", self.case.id)], ["name", "note_internal"])
        self.assertEqual(self._entries(self.caseworker, self.case).field_names, "note_internal")
        Case.browse(self.case.id).export_data(["name", "stage_id/name"])
        export = self._entries(self.caseworker, self.case).filtered(lambda e: e.route == "export")
        self.assertEqual(export.field_names, "name,stage_id/name")

    def test_referral_reads_and_exports_are_logged(self):
        self.caseworker.group_ids += self.env.ref("base.group_allow_export")
        Referral = self.env["woonkans.referral"].with_user(self.caseworker)
        Referral.search_read([("id", "=", self.referral.id)], ["name", "client_name", "state", "referrer_id"])
        self.assertFalse(self._entries(self.caseworker, self.referral), "plain fields are not logged")
        Referral.browse(self.referral.id).read(["client_name", "client_bsn", "decline_message"])
        entry = self._entries(self.caseworker, self.referral)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.field_names, "client_bsn,decline_message")
        self.assertEqual((entry.res_ref, entry.case_id, entry.client_id), (self.referral.name, self.case, self.client))
        Referral.browse(self.referral.id).export_data(["name", "client_name"])
        export = self._entries(self.caseworker, self.referral).filtered(lambda e: e.route == "export")
        self.assertEqual((export.field_names, export.res_ref), ("client_name,name", self.referral.name))

    def test_sudo_reads_are_not_logged(self):
        self.case.with_user(self.caseworker).sudo().read(["note_internal"])
        self.assertFalse(self.Log.search([("res_model", "=", "woonkans.case"), ("res_id", "=", self.case.id)]))

    def test_log_is_append_only(self):
        self.case.with_user(self.caseworker).read(["note_internal"])
        entry = self._entries(self.caseworker, self.case)
        for user in (self.coordinator, self.manager, self.privacy_officer):
            with self.subTest(user=user.login):
                mine = entry.with_user(user)
                self.assertEqual(mine.read(["user_id"])[0]["user_id"][0], self.caseworker.id)
                with self.assertRaises(AccessError):
                    mine.write({"user_id": user.id})
                with self.assertRaises(AccessError):
                    mine.unlink()
                with self.assertRaises(AccessError):
                    self.Log.with_user(user).create({"route": "rpc", "res_model": "woonkans.case"})
        with self.assertRaises(AccessError):
            entry.sudo().write({"route": "rpc"})
        with self.assertRaises(AccessError):
            entry.sudo().unlink()
        with self.assertRaises(AccessError):
            entry.with_user(self.caseworker).read(["user_id"])

    def test_reviewers_open_the_list_with_its_filters(self):
        self.case.with_user(self.caseworker).read(["note_internal"])
        self.referral.with_user(self.caseworker).read(["description"])
        for user in (self.coordinator, self.privacy_officer):
            with self.subTest(user=user.login):
                Log = self.Log.with_user(user)
                views = Log.get_views([(False, "list"), (False, "search")])["views"]
                self.assertIn("route", views["list"]["arch"])
                self.assertIn('name="res_ref"', views["list"]["arch"])
                self.assertIn('name="filter_referral"', views["search"]["arch"])
                spec = {"date": {}, "user_id": {}, "res_model_name": {}, "res_ref": {}, "field_names": {}}
                for domain in (
                    [("route", "=", "server"), ("res_model", "=", "woonkans.case")],
                    [("user_id", "=", self.caseworker.id), ("res_model", "=", "woonkans.case")],
                    [("case_ref", "=", self.case.name), ("res_model", "=", "woonkans.case")],
                ):
                    rows = Log.web_search_read(domain, spec)
                    self.assertEqual(rows["length"], 1, domain)
                    self.assertEqual(rows["records"][0]["res_model_name"], "Woonkans case")
                # the list's "Referrals" filter finds the referral's entry, under its own reference
                search = self.env.ref("woonkans_case.woonkans_access_log_view_search")
                domain = re.search(r'name="filter_referral"[^>]*domain="([^"]+)"', search.arch).group(1)
                rows = Log.web_search_read(
                    [("user_id", "=", self.caseworker.id), *safe_eval(html.unescape(domain))], spec
                )
                self.assertEqual(rows["length"], 1)
                row = rows["records"][0]
                self.assertEqual(
                    (row["res_model_name"], row["res_ref"], row["field_names"]),
                    ("Woonkans referral", self.referral.name, "description"),
                )

    def test_autovacuum_removes_only_expired_entries(self):
        self.case.with_user(self.caseworker).read(["note_internal"])
        entry = self._entries(self.caseworker, self.case)
        self.env.cr.execute("UPDATE woonkans_access_log SET date = now() - interval '3 days' WHERE id = %s", [entry.id])
        self.env["ir.config_parameter"].set_param("woonkans_case.access_log_days", "5")
        self.Log._gc_expired_entries()
        self.assertTrue(entry.exists())
        self.env["ir.config_parameter"].set_param("woonkans_case.access_log_days", "2")
        self.Log.invalidate_model()
        self.Log._gc_expired_entries()
        self.assertFalse(entry.exists())


@tagged("post_install", "-at_install")
class TestAccessLogRpc(HttpCase, WoonkansAccessLogCommon):
    """The read log over the routes a user really takes: the web client and the external API (JSON-2)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        expiry = datetime.now() + timedelta(days=1)
        cls.keys = {
            user.login: cls.env["res.users.apikeys"].with_user(user)._generate(None, "test", expiry)
            for user in (cls.caseworker, cls.coordinator, cls.privacy_officer)
        }

    def _call(self, login, model, method, expect=200, **params):
        response = self.url_open(
            f"/json/2/{model}/{method}",
            data=json.dumps(params),
            headers={"Authorization": f"bearer {self.keys[login]}", "Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, expect, response.text)
        return response.json()

    def test_rpc_read_of_sensitive_field_is_logged(self):
        self._call("wk_caseworker", "woonkans.case", "read", ids=[self.case.id], fields=["name", "stage_id"])
        self.assertFalse(self._entries(self.caseworker, self.case), "a non-sensitive read is not logged")
        values = self._call("wk_caseworker", "woonkans.case", "read", ids=[self.case.id], fields=["note_internal"])
        self.assertIn("Schuldhulp", values[0]["note_internal"])
        entry = self._entries(self.caseworker, self.case)
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.user_id, entry.res_id, entry.route), (self.caseworker, self.case.id, "rpc"))
        self.assertEqual(entry.field_names, "note_internal")
        self.assertEqual(entry.case_ref, self.case.name)
        self.assertEqual(entry.detail, "/json/2/woonkans.case/read")

    def test_rpc_read_of_referral_situation_is_logged(self):
        self._call(
            "wk_caseworker",
            "woonkans.referral",
            "read",
            ids=[self.referral.id],
            fields=["name", "client_name", "state"],
        )
        self.assertFalse(self._entries(self.caseworker, self.referral), "a non-sensitive read is not logged")
        values = self._call(
            "wk_caseworker", "woonkans.referral", "read", ids=[self.referral.id], fields=["description"]
        )
        self.assertIn("Verslaving", values[0]["description"])
        entry = self._entries(self.caseworker, self.referral)
        self.assertEqual(len(entry), 1)
        self.assertEqual((entry.user_id, entry.res_id, entry.route), (self.caseworker, self.referral.id, "rpc"))
        self.assertEqual((entry.field_names, entry.res_ref), ("description", self.referral.name))
        self.assertEqual(entry.case_ref, self.case.name)
        self.assertEqual(entry.detail, "/json/2/woonkans.referral/read")

    def test_portal_rpc_read_of_referral_is_logged(self):
        """The referring organisation's contact reading the bureau's answer through the ORM is logged too."""
        contact = self.env["res.partner"].create({"name": "Rita Verwijzer", "parent_id": self.corporation.id})
        portal = new_test_user(self.env, login="wk_referrer", groups="base.group_portal", partner_id=contact.id)
        self.authenticate("wk_referrer", "wk_referrer")
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/woonkans.referral/web_read",
            {
                "model": "woonkans.referral",
                "method": "web_read",
                "args": [[self.referral.id]],
                "kwargs": {"specification": {"name": {}, "state": {}}},
            },
        )
        self.assertFalse(self._entries(portal, self.referral))
        values = self.make_jsonrpc_request(
            "/web/dataset/call_kw/woonkans.referral/web_read",
            {
                "model": "woonkans.referral",
                "method": "web_read",
                "args": [[self.referral.id]],
                "kwargs": {"specification": {"name": {}, "decline_message": {}}},
            },
        )
        self.assertEqual(values[0]["decline_message"], "Liever eerst verslavingszorg")
        entry = self._entries(portal, self.referral)
        self.assertEqual((len(entry), entry.route, entry.field_names), (1, "form", "decline_message"))

    def test_logged_models_read_on_a_read_write_cursor(self):
        for model_name in type(self.env["woonkans.access.logged.mixin"])._inherit_children:
            for method in ("read", "search_read", "web_read", "web_search_read"):
                with self.subTest(model=model_name, method=method):
                    marks = [
                        getattr(cls, method)._readonly
                        for cls in type(self.env[model_name]).mro()
                        if hasattr(getattr(cls, method, None), "_readonly")
                    ]
                    self.assertIs(marks[0], False, "the dispatchers take the first mark")

    def test_form_view_read_is_logged(self):
        self.authenticate("wk_caseworker", "wk_caseworker")
        spec = {"name": {}, "note_internal": {}, "assessment_ids": {"fields": {"average_score": {}}}}
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/woonkans.case/web_read",
            {
                "model": "woonkans.case",
                "method": "web_read",
                "args": [[self.case.id]],
                "kwargs": {"specification": spec},
            },
        )
        entry = self._entries(self.caseworker, self.case)
        self.assertEqual(entry.route, "form")
        self.assertEqual(entry.field_names, "assessment_ids,note_internal")
        self.assertEqual(self._entries(self.caseworker, self.assessment).field_names, "average_score")

    def test_log_cannot_be_changed_over_rpc(self):
        self._call("wk_caseworker", "woonkans.case", "read", ids=[self.case.id], fields=["note_internal"])
        entry = self._entries(self.caseworker, self.case)
        for login in ("wk_caseworker", "wk_coordinator"):
            for method, params in (
                ("write", {"ids": [entry.id], "vals": {"route": "form"}}),
                ("unlink", {"ids": [entry.id]}),
                ("create", {"vals_list": [{"route": "rpc", "res_model": "woonkans.case"}]}),
            ):
                with self.subTest(login=login, method=method), mute_logger("odoo.http"):
                    error = self._call(login, "woonkans.access.log", method, expect=403, **params)
                    self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        self.assertEqual(entry.exists().route, "rpc")
        with mute_logger("odoo.http"):
            self._call("wk_caseworker", "woonkans.access.log", "search_read", expect=403, domain=[], fields=["user_id"])
        found = self._call(
            "wk_privacy", "woonkans.access.log", "search_read", domain=[("id", "=", entry.id)], fields=["user_id"]
        )
        self.assertEqual(found[0]["user_id"][0], self.caseworker.id)
