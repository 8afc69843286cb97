from odoo import api, fields, models
from odoo.exceptions import AccessError

USER_GROUP = "woonkans_case.group_woonkans_user"
SPECIAL_CATEGORY_GROUP = "woonkans_case.group_woonkans_special_category"


def _labels(record, field_name):
    return dict(record._fields[field_name]._description_selection(record.env))


class ReportWoonkansCaseSummary(models.AbstractModel):
    """Dossier overview for a parties' meeting.

    The template never reads the case itself: it renders a dictionary built
    here from portal-safe fields only, after the caller's read access on the
    case was checked. So a partner organisation that is a current party with
    portal sharing (and the client's consent) can print the same overview the
    caseworker brings to the meeting, and nobody gets assessments, internal
    notes, amounts or card reasons from it.
    """

    _name = "report.woonkans_reports.report_case_summary"
    _description = "Woonkans dossier overview"

    _internal = False

    @api.model
    def _get_report_values(self, docids, data=None):
        cases = self.env["woonkans.case"].browse(docids)
        if self._internal and not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(self.env._("Only bureau staff can print the internal dossier overview."))
        cases.check_access("read")
        return {
            "doc_ids": cases.ids,
            "doc_model": "woonkans.case",
            "docs": cases,
            "internal": self._internal,
            "summaries": {case.id: self._woonkans_summary(case.sudo()) for case in cases},
            "print_date": fields.Date.context_today(self),
        }

    @api.model
    def _woonkans_summary(self, case):
        """Plain values for one case; ``case`` is sudo, so only pick safe fields."""
        internal = self._internal
        # the shared overview shows the parties the portal shows (one rule, on the case)
        consents = case.consent_ids.filtered(lambda consent: consent.state == "active")
        parties = case.party_ids.filtered("is_current") if internal else case._woonkans_shared_parties()
        if not internal:
            # the parties' overview names only the organisations the client consented to share with
            parties = parties.filtered(lambda party: party.partner_id.commercial_partner_id in consents.partner_id)
        shared_orgs = parties.partner_id
        lines = case.condition_line_ids
        if not internal:
            # A condition assigned to an organisation that is not shared (e.g.
            # probation or Veilig Thuis) would reveal sensitive involvement.
            lines = lines.filtered(
                lambda line: not line.responsible_partner_id or line.responsible_partner_id in shared_orgs
            )
        status_labels = _labels(lines, "status")
        arrangement_labels = _labels(case.payment_arrangement_ids, "state")
        card_labels = _labels(case.card_event_ids, "card")
        contract_labels = _labels(case.tenancy_agreement_ids, "contract_type")
        agreement_state_labels = _labels(case.tenancy_agreement_ids, "state")
        tasks = self.env["project.task"].sudo().search([("woonkans_case_id", "=", case.id)], order="date_deadline, id")
        if not internal:
            tasks = tasks.filtered(lambda t: not t.woonkans_partner_id or t.woonkans_partner_id in shared_orgs)
        summary = {
            "name": case.name,
            "client": case.client_id.name,
            "target_group": _labels(case, "target_group").get(case.target_group, ""),
            "trajectory": case.trajectory_type_id.name or "",
            "stage": case.stage_id.name,
            "caseworker": case.user_id.name or "",
            "team": case.team_id.name or "",
            "referrer": (case.referrer_id.name or "") if internal or case.referrer_id in shared_orgs else "",
            "dates": [
                (self.env._("Referral"), case.date_referral),
                (self.env._("Intake"), case.intake_date),
                (self.env._("Start of the trajectory"), case.date_start),
                (self.env._("Planned end"), case.date_planned_end),
                (self.env._("Latest end"), case.date_max_end),
                (self.env._("Closed on"), case.date_closed),
            ],
            "consent_sharing": case.consent_sharing,
            "consent_date": case.consent_date,
            "consents": [
                {
                    "organisation": consent.partner_id.name,
                    "categories": ", ".join(consent.category_ids.mapped("name")),
                    "basis": consent.legal_basis_id.name,
                    "date_given": consent.date_given,
                }
                for consent in consents
                if internal or consent.partner_id in parties.partner_id.commercial_partner_id
            ],
            "parties": [
                {
                    "name": party.partner_id.name,
                    "role": party.role_id.name or "",
                    "contact": party.contact_id.name or "",
                    "date_from": party.date_from,
                    "consent_to_close": party.consent_to_close,
                }
                for party in parties
            ],
            "conditions": [
                {
                    "name": line.name,
                    "status": line.status,
                    "status_label": status_labels.get(line.status, ""),
                    "responsible": line.responsible_partner_id.name or "",
                    "date_due": line.date_due,
                    "overdue": line.is_overdue,
                    "note": line.note if internal else "",
                }
                for line in lines
            ],
            "arrangements": [
                {
                    "creditor": arrangement.creditor_id.name,
                    "date_start": arrangement.date_start,
                    "state": arrangement_labels.get(arrangement.state, ""),
                    "months_kept": arrangement.months_kept,
                    "missed": arrangement.missed_count,
                    "total_debt": arrangement.total_debt,
                    "monthly_amount": arrangement.monthly_amount,
                    "remaining_debt": arrangement.remaining_debt,
                    "currency": arrangement.currency_id,
                }
                for arrangement in case.payment_arrangement_ids
            ],
            "yellow_cards": case.yellow_card_count,
            "red_cards": case.red_card_count,
            "cards": [
                {
                    "card": card.card,
                    "label": card_labels.get(card.card, ""),
                    "date": card.date,
                    "reason": card.reason if internal else "",
                }
                for card in case.card_event_ids.sorted("date")
            ],
            "agreements": [
                {
                    "type": contract_labels.get(agreement.contract_type, ""),
                    "corporation": agreement.corporation_id.name,
                    "care_provider": agreement.care_provider_id.name or "",
                    "date_start": agreement.date_start,
                    "date_review": agreement.date_review,
                    "date_end": agreement.date_end,
                    "state": agreement_state_labels.get(agreement.state, ""),
                    "address": agreement.address if internal else "",
                }
                for agreement in case.tenancy_agreement_ids
            ],
            "tasks": [
                {
                    "name": task.name,
                    "partner": task.woonkans_partner_id.name or "",
                    "deadline": task.date_deadline.date() if task.date_deadline else False,
                    "stage": task.stage_id.name or "",
                }
                for task in tasks
            ],
            "assessment": False,
        }
        # special-category data: only in the internal overview, and only for its group
        if internal and self.env.user.has_group(SPECIAL_CATEGORY_GROUP):
            assessment = case.assessment_ids.sorted(lambda a: (a.date, a.id), reverse=True)[:1]
            if assessment:
                summary["assessment"] = {
                    "date": assessment.date,
                    "version": assessment.version_id.name,
                    "average": assessment.average_score,
                    "scores": [
                        {"domain": score.domain_id.name, "score": score.score or "", "label": score.score_label or ""}
                        for score in assessment.score_ids.sorted(lambda s: (s.domain_sequence, s.id))
                    ],
                }
        return summary


class ReportWoonkansCaseSummaryInternal(models.AbstractModel):
    """The same overview for bureau staff, with amounts and card reasons, and the
    latest life-domain scores for staff with the special-category data group."""

    _name = "report.woonkans_reports.report_case_summary_internal"
    _inherit = "report.woonkans_reports.report_case_summary"
    _description = "Woonkans dossier overview (internal)"

    _internal = True
