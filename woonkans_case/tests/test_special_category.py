import logging

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from .common import WoonkansCaseCommon, WoonkansRpcMixin

_logger = logging.getLogger(__name__)

# The special-category data behind the group: its models, and the case fields that carry it.
SPECIAL_MODELS = ("woonkans.assessment", "woonkans.assessment.score")
SPECIAL_CASE_FIELDS = ("note_sensitive", "assessment_ids", "assessment_count")


@tagged("post_install", "-at_install")
class TestSpecialCategory(HttpCase, WoonkansCaseCommon, WoonkansRpcMixin):
    """Assessments, the sensitive notes and their tags reach only the special-category group,
    and a member only on the cases they may read (own and team; a coordinator all)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_coordinator = new_test_user(
            cls.env, login="wk_coordinator_plain", groups="woonkans_case.group_woonkans_coordinator", name="Coen Gewoon"
        )
        cls.plain_caseworker = new_test_user(
            cls.env, login="wk_caseworker_plain", groups="woonkans_case.group_woonkans_user", name="Pim Gewoon"
        )
        cls.team.member_ids = [Command.link(cls.plain_caseworker.id)]
        Tag = cls.env["woonkans.case.tag"]
        cls.special_tag = Tag.create({"name": "Verslaving (test)", "is_special_category": True})
        cls.plain_tag = Tag.create({"name": "Spoed (test)"})
        cls.case_own = cls._create_case(
            note_sensitive="<p>Verslavingszorg loopt</p>",
            tag_ids=[Command.set([cls.special_tag.id, cls.plain_tag.id])],
        )
        cls.case_other = cls._create_case(user_id=cls.outsider.id, team_id=cls.other_team.id)
        version = cls.env.ref("woonkans_case.assessment_version_zrm_2017")
        cls.assessment_own, cls.assessment_other = cls.env["woonkans.assessment"].create(
            [{"case_id": case.id, "version_id": version.id} for case in (cls.case_own, cls.case_other)]
        )
        cls.assessments = cls.assessment_own | cls.assessment_other

    def _access_error(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as caught:
            self._rpc(model, method, *args, **kwargs)
        self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError", f"{model}.{method}")

    def _records(self, model):
        return self.assessments if model == "woonkans.assessment" else self.assessments.score_ids

    def test_without_the_group_every_call_is_an_access_error(self):
        """A coordinator (and a caseworker of the case) without the group gets an access error."""
        count = 0
        for login in ("wk_coordinator_plain", "wk_caseworker_plain"):
            self.authenticate(login, login)
            for model in SPECIAL_MODELS:
                records = self._records(model)
                with self.subTest(login=login, model=model):
                    self._access_error(model, "read", records[:1].ids, ["id"])
                    self._access_error(model, "web_read", records[:1].ids, {"display_name": {}})
                    self._access_error(model, "search_read", [], ["id"])
                    self._access_error(model, "search_count", [])
                    count += 4
            self._access_error(
                "woonkans.assessment",
                "create",
                {"case_id": self.case_own.id, "version_id": self.assessment_own.version_id.id, "date": "2020-01-01"},
            )
            count += 1
            for field in SPECIAL_CASE_FIELDS:
                with self.subTest(login=login, field=field):
                    self._access_error("woonkans.case", "read", self.case_own.ids, [field])
                    self._access_error("woonkans.case", "web_read", self.case_own.ids, {field: {}})
                    value = False if field == "note_sensitive" else []
                    self._access_error("woonkans.case", "write", self.case_own.ids, {field: value})
                    count += 3
            # the case itself still opens, without the special-category fields and buttons
            arch = self._rpc("woonkans.case", "get_views", [[False, "form"]])["views"]["form"]["arch"]
            self.assertIn('name="note_internal"', arch)
            for name in ("note_sensitive", "action_view_assessments", "action_view_scores", "assessment_count"):
                self.assertNotIn(f'name="{name}"', arch, login)
            self.assertTrue(self._rpc("woonkans.case", "web_read", self.case_own.ids, {"name": {}}))
            # a special-category tag is not there for them, the other tag is
            tags = self._rpc("woonkans.case", "read", self.case_own.ids, ["tag_ids"])[0]["tag_ids"]
            self.assertEqual(tags, self.plain_tag.ids, login)
            found = self._rpc("woonkans.case.tag", "search", [("id", "in", (self.special_tag | self.plain_tag).ids)])
            self.assertEqual(found, self.plain_tag.ids, login)
            self._denied("woonkans.case.tag", "read", self.special_tag.ids, ["name"])
            count += 1
        _logger.info("special-category data: %d denied calls checked", count)
        # an edit of the case's tags by a user without the group keeps the tag they cannot see
        self.case_own.with_user(self.plain_caseworker).tag_ids = [Command.set([])]
        self.assertEqual(self.case_own.tag_ids, self.special_tag)

    def test_caseworker_with_the_group_reads_own_and_team_cases_only(self):
        self.authenticate("wk_caseworker2", "wk_caseworker2")  # a team member of the case
        for model in SPECIAL_MODELS:
            with self.subTest(model=model):
                records = self._records(model)
                own = records.filtered(lambda r: r.case_id == self.case_own)
                self.assertTrue(own and records - own)
                self.assertEqual(set(self._rpc(model, "search", [("id", "in", records.ids)])), set(own.ids))
                self._denied(model, "read", (records - own)[:1].ids, ["id"])
        values = self._rpc("woonkans.case", "read", self.case_own.ids, ["note_sensitive", "assessment_ids", "tag_ids"])
        self.assertIn("Verslavingszorg", values[0]["note_sensitive"])
        self.assertEqual(values[0]["assessment_ids"], self.assessment_own.ids)
        self.assertEqual(set(values[0]["tag_ids"]), {self.special_tag.id, self.plain_tag.id})
        arch = self._rpc("woonkans.case", "get_views", [[False, "form"]])["views"]["form"]["arch"]
        self.assertIn('name="note_sensitive"', arch)
        self.assertIn('name="action_view_assessments"', arch)
        # the read of the sensitive note is in the read log
        entry = self.env["woonkans.access.log"].search(
            [
                ("user_id", "=", self.caseworker_2.id),
                ("res_model", "=", "woonkans.case"),
                ("res_id", "=", self.case_own.id),
            ]
        )
        self.assertIn("note_sensitive", ",".join(entry.mapped("field_names")))

    def test_coordinator_with_the_group_reads_all(self):
        self.authenticate("wk_coordinator", "wk_coordinator")
        for model in SPECIAL_MODELS:
            records = self._records(model)
            self.assertEqual(set(self._rpc(model, "search", [("id", "in", records.ids)])), set(records.ids), model)
        self.assertEqual(
            self._rpc("woonkans.case", "read", self.case_other.ids, ["assessment_ids"])[0]["assessment_ids"],
            self.assessment_other.ids,
        )

    def test_the_group_is_implied_by_no_role(self):
        group = self.env.ref("woonkans_case.group_woonkans_special_category")
        for xmlid in (
            "woonkans_case.group_woonkans_user",
            "woonkans_case.group_woonkans_coordinator",
            "woonkans_case.group_woonkans_manager",
            "woonkans_case.group_woonkans_privacy_officer",
            "base.group_user",
            "base.group_portal",
        ):
            self.assertNotIn(group, self.env.ref(xmlid).all_implied_ids, xmlid)
        self.assertFalse(self.plain_coordinator.has_group("woonkans_case.group_woonkans_special_category"))
