import statistics
from datetime import datetime, timedelta

from odoo import api, models
from odoo.fields import Domain


class WoonkansReferral(models.Model):
    _inherit = "woonkans.referral"

    @api.model
    def _woonkans_figures(self, date_from, date_to, domain=None):
        """Referral figures of a period, read with the user's rights.

        Returns ``by_org_month`` {organisation: {month: count}}, ``decisions``
        [(state, decline reason, count)], ``median_days`` (submission to
        decision, decided referrals), ``overdue`` (open past their deadline,
        by the one definition of overdue) and ``submitted``.
        """
        period = Domain("date_submitted", ">=", date_from) & Domain("date_submitted", "<", date_to + timedelta(days=1))
        base = Domain(domain or Domain.TRUE) & period
        by_org_month = {}
        for referrer, month, count in self._read_group(base, ["referrer_id", "date_submitted:month"], ["__count"]):
            month = month.date() if isinstance(month, datetime) else month
            by_org_month.setdefault(referrer, {})[month] = count
        decisions = self._read_group(
            base & Domain("state", "in", ("accepted", "declined")), ["state", "decline_reason_id"], ["__count"]
        )
        decided = self.search_fetch(base & Domain("date_answered", "!=", False), ["date_submitted", "date_answered"])
        days = [(r.date_answered - r.date_submitted).total_seconds() / 86400.0 for r in decided]
        return {
            "submitted": self.search_count(base),
            "by_org_month": by_org_month,
            "decisions": decisions,
            "median_days": statistics.median(days) if days else None,
            "overdue": self.search_count(Domain(domain or Domain.TRUE) & self._woonkans_overdue_domain()),
        }
