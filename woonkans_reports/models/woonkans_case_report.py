from odoo import api, fields, models, tools
from odoo.fields import Domain

from odoo.addons.woonkans_case.models.woonkans_case import REFERRAL_REASONS
from odoo.addons.woonkans_case.models.woonkans_case_stage import PHASES
from odoo.addons.woonkans_case.models.woonkans_condition_line import PENDING_STATUSES
from odoo.addons.woonkans_case.models.woonkans_trajectory_type import TARGET_GROUPS

OUTCOMES = [("positive", "Positive"), ("negative", "Negative"), ("neutral", "Neutral")]
# The bureaus report against this share of positively closed trajectories.
POSITIVE_BENCHMARK = 75.0


class WoonkansCaseReport(models.Model):
    """Read-only analysis of cases: one row per case, with durations and counts.

    The rows come from a PostgreSQL view, so the record rules filter on the
    view's own columns (caseworker, team, company) the way the case rules do.
    """

    _name = "woonkans.case.report"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Woonkans case analysis"
    _auto = False
    _order = "date_referral desc, id desc"
    _rec_name = "name"

    case_id = fields.Many2one("woonkans.case", string="Case", readonly=True)
    name = fields.Char(string="Reference", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    target_group = fields.Selection(TARGET_GROUPS, readonly=True)
    referral_reason = fields.Selection(REFERRAL_REASONS, string="Reason for referral", readonly=True)
    source = fields.Selection(
        [("staff", "Bureau"), ("portal", "Partner portal"), ("decision_tree", "Woonkansboom")], readonly=True
    )
    priority = fields.Selection([("0", "Normal"), ("1", "Urgent"), ("2", "Very urgent")], readonly=True)
    trajectory_type_id = fields.Many2one("woonkans.trajectory.type", string="Trajectory", readonly=True)
    stage_id = fields.Many2one("woonkans.case.stage", string="Stage", readonly=True)
    phase = fields.Selection(PHASES, readonly=True)
    user_id = fields.Many2one("res.users", string="Caseworker", readonly=True)
    team_id = fields.Many2one("woonkans.team", string="Team", readonly=True)
    referrer_id = fields.Many2one("res.partner", string="Referring organisation", readonly=True)
    closure_reason_id = fields.Many2one("woonkans.closure.reason", string="Closure reason", readonly=True)
    outcome = fields.Selection(OUTCOMES, readonly=True)
    is_archived = fields.Boolean(string="Archived", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)

    date_referral = fields.Date(string="Referral date", readonly=True)
    intake_date = fields.Date(readonly=True)
    date_start = fields.Date(string="Trajectory start", readonly=True)
    date_planned_end = fields.Date(string="Planned end", readonly=True)
    date_closed = fields.Date(string="Closed on", readonly=True)
    retention_until = fields.Date(readonly=True)

    days_to_intake = fields.Float(string="Days referral to intake", digits=(16, 1), aggregator="avg", readonly=True)
    duration_days = fields.Float(
        string="Trajectory duration (days)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="From the start of the trajectory to its closure; closed cases only.",
    )
    running_days = fields.Float(
        string="Running for (days)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Days since the start of the trajectory; open cases only.",
    )
    case_count = fields.Integer(string="# Cases", aggregator="sum", readonly=True)
    closed_count = fields.Integer(string="# Closed", aggregator="sum", readonly=True)
    positive_count = fields.Integer(string="# Positive", aggregator="sum", readonly=True)
    negative_count = fields.Integer(string="# Negative", aggregator="sum", readonly=True)
    positive_rate = fields.Float(
        string="Positive closures (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of closed cases with a positive outcome (neutral closures count as not positive). "
        "The benchmark is 75%.",
    )
    condition_count = fields.Integer(string="# Conditions", aggregator="sum", readonly=True)
    condition_met_count = fields.Integer(string="# Conditions met", aggregator="sum", readonly=True)
    condition_open_count = fields.Integer(string="# Open conditions", aggregator="sum", readonly=True)
    condition_overdue_count = fields.Integer(string="# Overdue conditions", aggregator="sum", readonly=True)
    yellow_card_count = fields.Integer(string="# Yellow cards", aggregator="sum", readonly=True)
    red_card_count = fields.Integer(string="# Red cards", aggregator="sum", readonly=True)

    def _query(self):
        # the overdue rule of woonkans.condition.line._overdue_domain, in SQL
        pending = "({})".format(", ".join(f"'{status}'" for status in PENDING_STATUSES))
        return f"""
            SELECT
                c.id AS id,
                c.id AS case_id,
                c.name AS name,
                c.company_id AS company_id,
                c.target_group AS target_group,
                c.referral_reason AS referral_reason,
                c.source AS source,
                c.priority AS priority,
                c.trajectory_type_id AS trajectory_type_id,
                c.stage_id AS stage_id,
                c.phase AS phase,
                c.user_id AS user_id,
                c.team_id AS team_id,
                c.referrer_id AS referrer_id,
                c.closure_reason_id AS closure_reason_id,
                CASE WHEN c.phase = 'closed' THEN c.outcome END AS outcome,
                NOT COALESCE(c.active, FALSE) AS is_archived,
                c.phase = 'closed' AS is_closed,
                c.date_referral AS date_referral,
                c.intake_date AS intake_date,
                c.date_start AS date_start,
                c.date_planned_end AS date_planned_end,
                c.date_closed AS date_closed,
                c.retention_until AS retention_until,
                CASE WHEN c.intake_date IS NOT NULL
                     THEN c.intake_date - c.date_referral END AS days_to_intake,
                CASE WHEN c.phase = 'closed' AND c.date_start IS NOT NULL AND c.date_closed IS NOT NULL
                     THEN c.date_closed - c.date_start END AS duration_days,
                CASE WHEN c.phase <> 'closed' AND c.date_start IS NOT NULL
                     THEN CURRENT_DATE - c.date_start END AS running_days,
                1 AS case_count,
                CASE WHEN c.phase = 'closed' THEN 1 ELSE 0 END AS closed_count,
                CASE WHEN c.phase = 'closed' AND c.outcome = 'positive' THEN 1 ELSE 0 END AS positive_count,
                CASE WHEN c.phase = 'closed' AND c.outcome = 'negative' THEN 1 ELSE 0 END AS negative_count,
                CASE WHEN c.phase = 'closed'
                     THEN CASE WHEN c.outcome = 'positive' THEN 100.0 ELSE 0.0 END END AS positive_rate,
                COALESCE(cl.condition_count, 0) AS condition_count,
                COALESCE(cl.condition_met_count, 0) AS condition_met_count,
                COALESCE(cl.condition_open_count, 0) AS condition_open_count,
                COALESCE(cl.condition_overdue_count, 0) AS condition_overdue_count,
                COALESCE(c.yellow_card_count, 0) AS yellow_card_count,
                COALESCE(c.red_card_count, 0) AS red_card_count
            FROM woonkans_case c
            LEFT JOIN (
                SELECT
                    line.case_id,
                    COUNT(*) FILTER (WHERE line.status <> 'not_applicable') AS condition_count,
                    COUNT(*) FILTER (WHERE line.status = 'met') AS condition_met_count,
                    COUNT(*) FILTER (WHERE line.status IN {pending}) AS condition_open_count,
                    COUNT(*) FILTER (
                        WHERE line.status IN {pending} AND line.date_due < CURRENT_DATE
                    ) AS condition_overdue_count
                FROM woonkans_condition_line line
                GROUP BY line.case_id
            ) cl ON cl.case_id = c.id
        """

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({self._query()})")

    # ------------------------------------------------------------------
    # KPI helpers shared by the management workbook and the tests
    # ------------------------------------------------------------------

    @api.model
    def _woonkans_period_domain(self, date_field, date_from=None, date_to=None):
        domain = Domain(date_field, "!=", False)
        if date_from:
            domain &= Domain(date_field, ">=", date_from)
        if date_to:
            domain &= Domain(date_field, "<=", date_to)
        return domain

    @api.model
    def _woonkans_kpis(self, domain=None, groupby=None, date_from=None, date_to=None):
        """Outcome KPIs of the cases closed in the period, optionally grouped.

        Returns a list of dicts (one per group, or one for everything) with the
        number of referrals, closures, positive/negative/neutral closures, the
        positive share (%), the average duration in days, the average days from
        referral to intake and the cards given on those cases.
        """
        base = Domain(domain or Domain.TRUE)
        referred = base & self._woonkans_period_domain("date_referral", date_from, date_to)
        closed = base & Domain("is_closed", "=", True) & self._woonkans_period_domain("date_closed", date_from, date_to)
        groupby = [groupby] if groupby else []
        aggregates = [
            "case_count:sum",
            "positive_count:sum",
            "negative_count:sum",
            "duration_days:avg",
            "yellow_card_count:sum",
            "red_card_count:sum",
        ]
        result = {}
        for *keys, count, positive, negative, duration, yellow, red in self._read_group(closed, groupby, aggregates):
            key = keys[0] if keys else False
            result[key] = {
                "key": key,
                "referred": 0,
                "closed": count,
                "positive": positive,
                "negative": negative,
                "neutral": count - positive - negative,
                "positive_rate": 100.0 * positive / count if count else 0.0,
                "duration_days": duration or 0.0,
                "yellow_cards": yellow,
                "red_cards": red,
                "days_to_intake": 0.0,
            }
        for *keys, count, intake in self._read_group(referred, groupby, ["case_count:sum", "days_to_intake:avg"]):
            key = keys[0] if keys else False
            row = result.setdefault(
                key,
                {
                    "key": key,
                    "closed": 0,
                    "positive": 0,
                    "negative": 0,
                    "neutral": 0,
                    "positive_rate": 0.0,
                    "duration_days": 0.0,
                    "yellow_cards": 0,
                    "red_cards": 0,
                },
            )
            row["referred"] = count
            row["days_to_intake"] = intake or 0.0
        return list(result.values())
