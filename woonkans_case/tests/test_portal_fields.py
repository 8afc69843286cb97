import logging

from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from .common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)

MIXIN = "woonkans.portal.readable.mixin"
# models of other add-ons that partners reach through our rules, with their own allow-list
EXTRA_MODELS = ("project.task",)
GROUPABLE = {"char", "selection", "many2one", "boolean", "date", "datetime", "integer", "float", "monetary"}


@tagged("post_install", "-at_install")
class TestPortalReadableFields(WoonkansPortalCommon):
    """Partners read our models over RPC through each model's declared allow-list only.

    For every model of ours (every ``woonkans.*`` model in the registry) and the
    plan tasks, for every field: a contact of a party organisation reads the
    listed fields of a record it may see, and gets an access error for every
    other field, by ``read`` and by a domain on it; ``fields_get`` lists no more.
    """

    def _call(self, model, method, *args, **kwargs):
        """(True, result), or (False, error name) when the server refused it."""
        try:
            with mute_logger("odoo.http"):
                return True, self.rpc(model, method, *args, **kwargs)
        except JsonRpcException as e:
            return False, e.args[0]

    def _assert_refused(self, outcome, label):
        ok, result = outcome
        self.assertFalse(ok, f"{label} should be refused, got {result!r}")
        self.assertEqual(result, "odoo.exceptions.AccessError", label)

    def _readable(self, model):
        Model = self.env[model]
        if model == "project.task":
            return Model._portal_accessible_fields()[0]
        return Model._woonkans_portal_field_access()[0]

    def test_every_model_declares_its_portal_fields(self):
        inheriting = set(self.env.registry[MIXIN]._inherit_children)
        ours = {
            name for name, model in self.env.registry.items() if name.startswith("woonkans.") and not model._abstract
        }
        self.assertTrue(ours)
        self.assertFalse(ours - inheriting, "every model of ours inherits the portal allow-list mixin")
        _logger.info("TestPortalReadableFields: %s models declare their portal fields", len(ours))

    def test_portal_reads_allow_listed_fields_only(self):
        self.login(self.user_a1)
        models = sorted(n for n in self.env.registry if n.startswith("woonkans.") and not self.env[n]._abstract)
        models += list(EXTRA_MODELS)
        tried = with_records = 0
        for model in models:
            Model = self.env[model]
            readable = self._readable(model)
            ok, found = self._call(model, "search", [], limit=1)
            if Model.with_user(self.user_a1).has_access("read"):
                self.assertTrue(ok, f"{model}: the portal user may search it, got {found}")
            record_ids = found if ok else []
            with_records += bool(record_ids)
            for name, field in Model._fields.items():
                with self.subTest(model=model, field=name):
                    if record_ids:
                        outcome = self._call(model, "read", record_ids, [name])
                        if name in readable:
                            self.assertTrue(outcome[0], f"{model}.{name} is portal-readable: {outcome[1]}")
                        else:
                            self._assert_refused(outcome, f"read of {model}.{name}")
                        tried += 1
                    if name not in readable and field.store:
                        # a required field is never empty: the domain would be optimised away
                        if field.required and field.column_type:
                            outcome = self._call(model, "search", [], order=name)
                        else:
                            outcome = self._call(model, "search", [(name, "!=", False)])
                        self._assert_refused(outcome, f"search on {model}.{name}")
                        tried += 1
                    if name not in readable and field.store and field.type in GROUPABLE:
                        outcome = self._call(model, "formatted_read_group", [], [name], ["__count"])
                        self._assert_refused(outcome, f"grouping on {model}.{name}")
                        tried += 1
            ok, described = self._call(model, "fields_get", [], ["type"])
            if ok:
                self.assertFalse(set(described) - set(readable), f"fields_get of {model} shows more than its list")
            tried += 1
        # the fixture must reach the models partners see, or the test proves nothing
        self.assertGreaterEqual(with_records, 5)
        _logger.info(
            "TestPortalReadableFields: %s (model, field) cases on %s models, %s with a visible record",
            tried,
            len(models),
            with_records,
        )

    def test_sensitive_case_fields_are_not_readable(self):
        self.login(self.user_a1)
        case = self.case_a
        case.sudo().write(
            {"closure_note": "SECRET-CLOSURE", "signal_arrears_amount": 4321, "description": "<p>SECRET-SITUATION</p>"}
        )
        case.client_id.sudo().write({"phone": "0612345678", "email": "iris@example.com"})
        for field in (
            "closure_note",
            "closure_override_reason",
            "signal_arrears_amount",
            "client_phone",
            "client_email",
            "description",
            "note_internal",
            "referrer_id",
            "yellow_card_count",
            "household_children",
        ):
            self._assert_refused(self._call("woonkans.case", "read", case.ids, [field]), field)
        everything = self.rpc("woonkans.case", "read", case.ids, [])[0]
        for secret in ("SECRET-CLOSURE", "4321", "0612345678", "iris@example.com", "SECRET-SITUATION"):
            self.assertNotIn(secret, str(everything))
        self.assertEqual(everything["client_name"], case.client_id.name)
        # nor through the client record, nor by summing the amounts
        _ok, nested = self._call(
            "woonkans.case", "web_read", case.ids, {"client_id": {"fields": {"phone": {}, "email": {}}}}
        )
        self.assertNotIn("0612345678", str(nested))
        self.assertNotIn("iris@example.com", str(nested))
        self._assert_refused(
            self._call("woonkans.case", "formatted_read_group", [], [], ["signal_arrears_amount:sum"]), "sum of arrears"
        )
        # the portal page still shows what partners need
        page = self.url_open(f"/my/woonkans/{case.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(case.client_id.name, page.text)
        for secret in ("SECRET-CLOSURE", "0612345678", "iris@example.com", "SECRET-SITUATION"):
            self.assertNotIn(secret, page.text)
