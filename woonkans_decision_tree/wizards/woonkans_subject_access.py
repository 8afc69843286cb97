from odoo import models


class WoonkansSubjectAccess(models.TransientModel):
    """The Woonkansboom's share of a subject access export: the tree runs of the client's cases."""

    _inherit = "woonkans.subject.access"

    def _subject_sources(self):
        sources = super()._subject_sources()
        cases = (
            self.env["woonkans.case"]
            .sudo()
            .with_context(active_test=False)
            .search([("client_id", "=", self.partner_id.id)])
        )
        runs = self.env["woonkans.decision.run"].sudo().search([("case_id", "in", cases.ids)])
        sources.append(("tree_runs", self.env._("Woonkansboom runs"), runs, None))
        sources.append(("tree_run_answers", self.env._("Woonkansboom answers"), runs.answer_ids, None))
        return sources
