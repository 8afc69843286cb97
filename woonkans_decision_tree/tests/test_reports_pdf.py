from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.woonkans_case.tests.common_pdf import WoonkansPdfMixin

from .common import default_walks

ADVICE = "woonkans_decision_tree.report_decision_run_advice"
TREE = "woonkans_decision_tree.report_decision_tree_version"
# Labels of the two reports as they read untranslated.
ENGLISH_LABELS = (
    "Woonkansboom advice",
    "Why not the other trajectories",
    "Still to check",
    "What to tell the tenant",
    "Advised trajectory",
    "Outcomes",
    "Conditions to meet",
    "Next steps",
)


@tagged("post_install", "-at_install")
class TestDecisionReportsPdf(WoonkansPdfMixin, HttpCase):
    """The Woonkansboom advice and the whole tree, printed for real and read back with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._wk_prepare_pdf(["woonkans_case", "woonkans_decision_tree"])
        cls.env = cls.env(context=dict(cls.env.context, lang="nl_NL"))
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.caseworker = new_test_user(
            cls.env, login="wk_dt_pdf_cw", groups="woonkans_case.group_woonkans_user", lang="nl_NL"
        )
        walks = default_walks(cls.env)
        cls.run_second_chance = cls._finished_run(walks["out_second_chance"][0])
        cls.run_aftercare = cls._finished_run(walks["out_aftercare_shelter"][0])

    @classmethod
    def _finished_run(cls, answers):
        run = cls.env["woonkans.decision.run"].with_user(cls.caseworker)._start(cls.tree, "backend")
        for code, answer in answers.items():
            _result, error = run._answer(code, answer)
            assert not error, error
        run._finish()
        return run

    def test_every_pdf_report_is_printed_here(self):
        reports = self.env["ir.actions.report"].search([("report_type", "=", "qweb-pdf")])
        ours = {r.report_name for r in reports if r.get_external_id()[r.id].startswith("woonkans_decision_tree.")}
        self.assertEqual(ours, {ADVICE, TREE}, "a new PDF report needs a test in this class")

    def test_advice_pdf(self):
        run, other = self.run_second_chance, self.run_aftercare
        text = self._wk_pdf_report_text(ADVICE, run, user=self.caseworker)
        title = run.result["outcome"]["title"]
        self.assertNotEqual(title, run.with_context(lang="en_US").outcome_node_id.text, "the outcome is not in Dutch")
        for expected in (
            "Woonkansboom-advies",
            title,
            run.result["outcome"]["trajectory_name"],
            "Waarom niet de andere trajecten",
            f"{self.tree.name} v{run.version_id.number}",
        ):
            self.assertIn(" ".join(expected.split()), text)
        # the advice of this run only, and nothing left in English
        for forbidden in (other.result["outcome"]["title"], *ENGLISH_LABELS):
            self.assertNotIn(forbidden, text)

    def test_tree_pdf(self):
        version = self.tree.published_version_id
        text = self._wk_pdf_report_text(TREE, version, user=self.caseworker)
        outcomes = version.node_ids.filtered(lambda n: n.kind == "outcome")
        self.assertTrue(outcomes)
        for expected in (
            f"{self.tree.name} v{version.number}",
            "Kaart",
            "Uitkomsten",
            "Wat vertelt u de huurder",
            *(f"{node.code}: {node.text}" for node in outcomes),
        ):
            self.assertIn(" ".join(expected.split()), text)
        for forbidden in ENGLISH_LABELS:
            self.assertNotIn(forbidden, text)
