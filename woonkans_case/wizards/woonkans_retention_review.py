from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class WoonkansRetentionReview(models.TransientModel):
    """Preview and dry run of the retention policy, before anything is anonymised or destroyed."""

    _name = "woonkans.retention.review"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Retention review"

    case_ids = fields.Many2many(
        "woonkans.case", string="Cases to anonymise", compute="_compute_due", help="Closed, retention period passed."
    )
    client_ids = fields.Many2many("res.partner", string="Clients to anonymise", compute="_compute_due")
    destroy_case_ids = fields.Many2many(
        "woonkans.case",
        "woonkans_retention_review_destroy_rel",
        string="Cases an administrator may destroy",
        compute="_compute_due",
    )
    summary = fields.Text(string="Dry run", compute="_compute_due")

    @api.depends_context("uid")
    def _compute_due(self):
        Retention = self.env["woonkans.retention"]
        rows = Retention._dry_run()
        today = fields.Date.context_today(self)
        destroyable = (
            self.env["woonkans.case"]
            .sudo()
            .with_context(active_test=False)
            .search([("phase", "=", "closed"), ("retention_until", "!=", False), ("retention_until", "<", today)])
        )
        lines = [
            self.env._(
                "%(kind)s %(reference)s: %(messages)s message(s), %(documents)s document(s) and "
                "%(tasks)s plan task(s) removed, free text cleared",
                kind=self.env._("Case") if row["kind"] == "case" else self.env._("Client"),
                reference=row["reference"],
                messages=row["messages"],
                documents=row["documents"],
                tasks=row["tasks"],
            )
            for row in rows
        ]
        for review in self:
            review.case_ids = [row["record"].id for row in rows if row["kind"] == "case"]
            review.client_ids = [row["record"].id for row in rows if row["kind"] == "client"]
            review.destroy_case_ids = destroyable
            review.summary = "\n".join(lines) or self.env._("Nothing is due.")

    def _check_coordinator(self):
        if not (self.env.su or self.env.user.has_group("woonkans_case.group_woonkans_coordinator")):
            raise AccessError(self.env._("Only a coordinator can review the retention of cases."))

    def action_print_dry_run(self):
        self.ensure_one()
        self._check_coordinator()
        return self.env.ref("woonkans_case.woonkans_retention_review_report").report_action(self)

    def action_anonymise(self):
        self.ensure_one()
        self._check_coordinator()
        cases, clients = self.env["woonkans.retention"].sudo()._anonymise()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Anonymised: %(cases)s case(s) and %(clients)s client(s).", cases=len(cases), clients=len(clients)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_destroy(self):
        self.ensure_one()
        if not self.destroy_case_ids:
            raise UserError(self.env._("None of the cases is closed with its retention period passed."))
        return self.destroy_case_ids.with_env(self.env).action_destroy_after_retention()
