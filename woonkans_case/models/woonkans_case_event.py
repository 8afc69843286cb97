from odoo import api, fields, models, tools

from .woonkans_condition_line import PENDING_STATUSES

# the case dates on the agenda, with the number each one's row id ends in
CASE_DATES = (("intake", "intake_date", 1), ("eviction", "eviction_date", 2), ("court", "court_date", 3))
CONDITION_ROW = 15  # a condition's row id ends in this (ids are record id * 16 + the kind's number)


class WoonkansCaseEvent(models.Model):
    """The bureau's agenda: intake, eviction and court dates of the open cases and the
    deadlines of their pending conditions, in one calendar, named by the client.

    A SQL view, read-only. Access follows the case, through the case's own record
    rules (``case_readable``, as plan tasks do), so it names no group and repeats no
    case domain.
    """

    _name = "woonkans.case.event"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Date on the agenda"
    _auto = False
    _order = "date, id"
    # what the view reads: a search flushes these first
    _depends = {
        "woonkans.case": [
            "intake_date",
            "eviction_date",
            "court_date",
            "active",
            "phase",
            "client_id",
            "user_id",
            "team_id",
            "company_id",
        ],
        "woonkans.condition.line": ["date_due", "status", "case_id", "responsible_user_id"],
    }

    kind = fields.Selection(
        [
            ("intake", "Intake"),
            ("eviction", "Eviction"),
            ("court", "Court hearing"),
            ("condition", "Condition deadline"),
        ],
        readonly=True,
    )
    date = fields.Date(readonly=True)
    case_id = fields.Many2one("woonkans.case", readonly=True)
    client_id = fields.Many2one("res.partner", string="Client", readonly=True)
    line_id = fields.Many2one("woonkans.condition.line", string="Condition", readonly=True)
    user_id = fields.Many2one("res.users", string="Caseworker", readonly=True)
    team_id = fields.Many2one("woonkans.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    is_overdue = fields.Boolean(related="line_id.is_overdue", string="Overdue")
    case_readable = fields.Boolean(
        compute="_compute_case_readable",
        search="_search_case_readable",
        help="The current user may read this date's case: the agenda follows the access to the case.",
    )

    @api.depends("kind", "client_id", "line_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for event in self:
            what = event.line_id.name if event.kind == "condition" else kinds.get(event.kind, "")
            event.display_name = f"{event.client_id.name or ''}: {what}"

    def _compute_case_readable(self):
        readable = self.sudo().case_id.sudo(False)._woonkans_filter_readable()
        for event in self:
            event.case_readable = event.sudo().case_id in readable

    def _search_case_readable(self, operator, value):
        return self.env["woonkans.case"]._woonkans_search_readable("case_id", operator, value)

    def _query(self):
        columns = "case_id, client_id, user_id, team_id, company_id"
        case_dates = " UNION ALL ".join(
            f"""
            SELECT c.id * 16 + {number} AS id, '{kind}' AS kind, c.{column} AS date, NULL::integer AS line_id,
                   c.id AS case_id, c.client_id, c.user_id, c.team_id, c.company_id
              FROM woonkans_case c
             WHERE c.{column} IS NOT NULL AND c.active AND c.phase IS DISTINCT FROM 'closed'
            """
            for kind, column, number in CASE_DATES
        )
        pending = ", ".join(f"'{status}'" for status in PENDING_STATUSES)
        return f"""
            SELECT id, kind, date, line_id, {columns} FROM ({case_dates}) AS case_dates
            UNION ALL
            SELECT l.id * 16 + {CONDITION_ROW}, 'condition', l.date_due, l.id,
                   c.id, c.client_id, COALESCE(l.responsible_user_id, c.user_id), c.team_id, c.company_id
              FROM woonkans_condition_line l
              JOIN woonkans_case c ON c.id = l.case_id
             WHERE l.date_due IS NOT NULL AND l.status IN ({pending})
               AND c.active AND c.phase IS DISTINCT FROM 'closed'
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")

    def action_open_case(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "woonkans.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
        }
