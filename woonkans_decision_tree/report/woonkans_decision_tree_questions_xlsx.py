from odoo import models

from ..models import decision_engine as engine


class WoonkansDecisionTreeQuestionsXlsx(models.AbstractModel):
    """One sheet of questions and answers, for policy staff who review the wording outside Odoo.

    Export only. Every cell is written as text (``write_string``), so a text that
    starts with = + - or @ never becomes a formula in a spreadsheet.
    """

    _name = "report.woonkans_decision_tree.questions_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Decision tree questions and answers (XLSX)"

    def get_workbook_options(self):
        # as woonkans_reports' safe base (which this add-on cannot depend on): no text becomes a formula or link
        options = super().get_workbook_options()
        options.update({"strings_to_formulas": False, "strings_to_urls": False})
        return options

    def generate_xlsx_report(self, workbook, data, objs):
        wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        header = workbook.add_format({"bold": True, "bottom": 1})
        sheet = workbook.add_worksheet(self.env._("Questions and answers")[:31])
        headers = [
            self.env._("Version"),
            self.env._("Question code"),
            self.env._("Question"),
            self.env._("Help"),
            self.env._("Type"),
            self.env._("Answer code"),
            self.env._("Answer"),
            self.env._("Leads to"),
            self.env._("Explanation line"),
            self.env._("Unknown / still to check"),
        ]
        widths = [18, 18, 50, 40, 14, 16, 45, 40, 45, 12]
        for col, (title, width) in enumerate(zip(headers, widths, strict=True)):
            sheet.set_column(col, col, width)
            sheet.write_string(0, col, title, header)
        sheet.freeze_panes(1, 0)
        types = dict(self.env["woonkans.decision.node"]._fields["question_type"]._description_selection(self.env))
        yes, no = self.env._("Yes"), self.env._("No")
        row = 1
        for version in objs:
            params = version.tree_id._parameters()
            label = version.display_name
            for node in version.node_ids.filtered(lambda n: n.kind == "question"):
                for option in node.option_ids:
                    target = option.next_node_id
                    cells = [
                        label,
                        node.code,
                        engine.fill(node.text, params),
                        engine.fill(node.help_text or "", params),
                        types.get(node.question_type, ""),
                        option.code,
                        engine.fill(option.label, params),
                        f"{target.code}: {engine.fill(target.text or '', params)}" if target else "",
                        engine.fill(option.explanation or "", params),
                        yes if option.is_unknown else no,
                    ]
                    for col, value in enumerate(cells):
                        sheet.write_string(row, col, str(value or ""), wrap)
                    row += 1
        return row - 1
