import base64
import io
import json
import logging

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from ..models import decision_transfer as transfer
from .common import WoonkansDecisionCase

_logger = logging.getLogger(__name__)


def normalised(text):
    """An export without what necessarily differs between two trees: their code and version number."""
    data = json.loads(text)
    data["tree"].pop("code")
    data["version"].pop("number")
    return transfer.dumps(data)


@tagged("post_install", "-at_install")
class TestTransfer(WoonkansDecisionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coordinator = new_test_user(
            cls.env, login="wk_dt_transfer", groups="woonkans_case.group_woonkans_coordinator", name="Tara Transfer"
        )
        # the Dutch texts of the default tree travel with it
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"]._load_module_terms(["woonkans_case", "woonkans_decision_tree"], ["nl_NL"])

    def _import(self, text, **kwargs):
        wizard = (
            self.env["woonkans.decision.tree.import"]
            .with_user(self.coordinator)
            .create({"data_file": base64.b64encode(text.encode("utf-8")), "filename": "tree.json", **kwargs})
        )
        action = wizard.action_import()
        return self.env["woonkans.decision.tree.version"].browse(action["res_id"])

    def test_json_round_trip_of_the_default_tree(self):
        action = self.version.with_user(self.coordinator).action_export_json()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        text = attachment.raw.decode("utf-8")
        data = json.loads(text)
        self.assertEqual(data["format"], "woonkans.decision.tree")
        self.assertEqual(len(data["nodes"]), len(self.version.node_ids))
        self.assertEqual(
            len(data["scenarios"]),
            self.env["woonkans.decision.scenario"].search_count([("tree_id", "=", self.tree.id)]),
        )
        self.assertEqual(data["parameters"][0]["code"], "second_chance_years")
        nl = data["translations"]["nl_NL"]
        self.assertEqual(nl["nodes"]["situation"]["text"], "Welke situatie past het best bij de huurder?")
        self.assertIn("options", nl)
        self.assertIn("scenarios", nl)
        draft = self._import(text, new_tree_code="woonkansboom_copy", new_tree_name="Woonkansboom (copy)")
        self.assertEqual(draft.state, "draft")
        self.assertEqual(draft.tree_id.code, "woonkansboom_copy")
        self.assertEqual(draft._validation_problems(), [])
        self.assertEqual(
            draft.with_context(lang="nl_NL").node_ids.filtered(lambda n: n.code == "situation").text,
            "Welke situatie past het best bij de huurder?",
        )
        again = transfer.dumps(transfer.export_version(draft))
        data_again = json.loads(again)
        # the copy's name was given at import; everything else is byte-identical
        data_again["tree"]["name"] = data["tree"]["name"]
        data_again["translations"]["nl_NL"]["tree"] = data["translations"]["nl_NL"]["tree"]
        self.assertEqual(normalised(transfer.dumps(data_again)), normalised(text))
        # the imported draft reviews green: its scenarios came along
        draft.with_user(self.coordinator).action_submit_review()
        self.assertEqual(draft.scenario_fail_count, 0)
        self.assertEqual(len(draft.scenario_result_ids), len(data["scenarios"]))
        _logger.info(
            "JSON round trip: %s nodes, %s scenarios, %s bytes", len(data["nodes"]), len(data["scenarios"]), len(text)
        )

    def test_import_into_the_same_tree_adds_a_draft(self):
        text = transfer.dumps(transfer.export_version(self.version))
        before = self.env["woonkans.decision.scenario"].search_count([("tree_id", "=", self.tree.id)])
        draft = self._import(text)
        self.assertEqual(draft.tree_id, self.tree)
        self.assertEqual(draft.number, self.version.number + 1)
        self.assertEqual(self.version._diff(draft), {"added": [], "removed": [], "changed": []})
        self.assertEqual(self.env["woonkans.decision.scenario"].search_count([("tree_id", "=", self.tree.id)]), before)

    def test_bad_files_are_refused_clearly(self):
        good = transfer.export_version(self.version)
        broken_ref = json.loads(transfer.dumps(good))
        broken_ref["nodes"][-1]["trajectory"] = "no_such_trajectory"
        twice = json.loads(transfer.dumps(good))
        twice["nodes"].append(dict(twice["nodes"][0]))
        no_nodes = json.loads(transfer.dumps(good))
        del no_nodes["nodes"]
        cases = [
            ("not json", "not valid JSON"),
            ("[]", "not a Woonkansboom export"),
            (json.dumps({"format": "other"}), "not a Woonkansboom export"),
            (json.dumps(dict(good, format_version=99)), "format"),
            (json.dumps(no_nodes), "not a complete Woonkansboom export"),
            (json.dumps(broken_ref), "trajectory no_such_trajectory"),
            (json.dumps(twice), "uses a code more than once: situation"),
            ("\x00{}", "not valid JSON"),
        ]
        versions = self.env["woonkans.decision.tree.version"].search_count([])
        for text, message in cases:
            with self.subTest(message=message), self.assertRaises(UserError) as caught:
                with self.env.cr.savepoint():
                    self._import(text, new_tree_code="woonkansboom_bad")
            self.assertIn(message, str(caught.exception))
        self.assertEqual(self.env["woonkans.decision.tree.version"].search_count([]), versions)
        _logger.info("import refused %s bad files", len(cases))

    def test_questions_xlsx_is_text_only(self):
        draft = self.version.with_user(self.coordinator)._copy_as_draft()
        question = draft.node_ids.filtered(lambda n: n.code == "situation")
        question.text = '=HYPERLINK("http://example.invalid")'
        question.option_ids[0].label = "+1+1"
        question.option_ids[1].label = "@SUM(A1)"
        question.option_ids[2].label = "-2"
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render("woonkans_decision_tree.woonkans_decision_tree_version_report_xlsx", draft.ids)
        )
        self.assertEqual(kind, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(len(book.worksheets), 1)
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][1], "Question code")
        options = draft.node_ids.filtered(lambda n: n.kind == "question").option_ids
        self.assertEqual(len(rows) - 1, len(options))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                self.assertIn(cell.data_type, ("s", "n"), f"{cell.coordinate} is a {cell.data_type}")
                self.assertNotEqual(cell.data_type, "f")
        texts = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
        self.assertIn('=HYPERLINK("http://example.invalid")', texts)
        self.assertIn("+1+1", texts)
        self.assertIn("@SUM(A1)", texts)
        self.assertIn("-2", texts)
