from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.woonkans_case.models import woonkans_form_mixin as form


class WoonkansReferral(models.Model):
    """A referral can come from a Woonkansboom run; its advice travels to the case."""

    _inherit = "woonkans.referral"

    decision_run_id = fields.Many2one(
        "woonkans.decision.run",
        string="Woonkansboom run",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The advice the referrer walked before referring.",
    )
    advised_trajectory_id = fields.Many2one(
        related="decision_run_id.advised_trajectory_id", string="Advised trajectory"
    )

    @api.model
    def _woonkans_forms(self):
        forms = super()._woonkans_forms()
        # the token of the run the form was prefilled from (a hidden field)
        forms["referral"]["run"] = form.Text(max_length=64)
        return forms

    @api.model
    def _woonkans_protected_fields(self):
        return super()._woonkans_protected_fields() | {"decision_run_id"}

    def _woonkans_case_vals(self, client):
        vals = super()._woonkans_case_vals(client)
        run = self.sudo().decision_run_id
        if run:
            vals["source"] = "decision_tree"
            if run.advised_trajectory_id:
                vals["trajectory_type_id"] = run.advised_trajectory_id.id
        return vals

    def _woonkans_after_accept(self, case):
        """Pass the advice on: trajectory, the conditions the run satisfies, the run linked to the case."""
        result = super()._woonkans_after_accept(case)
        run = self.sudo().decision_run_id
        if not run or run.state != "done" or run.case_id:
            return result
        case = case.sudo()
        reason = False
        if (
            case.trajectory_type_id
            and run.advised_trajectory_id
            and case.trajectory_type_id != run.advised_trajectory_id
        ):
            reason = self.env._(
                "Referral %(referral)s joined a case that already follows %(trajectory)s.",
                referral=self.name,
                trajectory=case.trajectory_type_id.name,
            )
        run.action_attach_case(case, case.trajectory_type_id or run.advised_trajectory_id, reason)
        return result

    def _woonkans_link_run(self, run):
        """Remember the run a portal referral was prefilled from (sudo; the caller checked the run)."""
        self.ensure_one()
        self.sudo().decision_run_id = run
        self.sudo().message_post(body=self.env._("Prefilled from a Woonkansboom result."), subtype_xmlid="mail.mt_note")
        return True

    @api.model
    def _woonkans_demo_accepted_from_run(self):
        """Demo: a partner walks the Woonkansboom, refers from its advice, the bureau accepts."""
        tree = self.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        org = self.env.ref("woonkans_case.res_partner_buurtkracht_demo")
        contact = self.env.ref("woonkans_case.res_partner_sven_boersma_demo")
        run = self.env["woonkans.decision.run"].sudo()._start(tree, "portal", org)
        today = fields.Date.context_today(self)
        answers = {
            "situation": "evicted",
            "ev_date": (today - relativedelta(years=2)).isoformat(),
            "ev_reason": "arrears",
            "ev_woningnet": "yes",
            "ev_debt": "yes",
            "ev_arrangement": "kept",
            "ev_guidance": "yes",
            "ev_care": "no",
        }
        for code, answer in answers.items():
            run._answer(code, answer)
        run._finish()
        prefill = run._referral_prefill()
        referral = self._woonkans_submit(
            {
                "client_name": "Daan Wierenga",
                "client_birthdate": fields.Date.to_date("1985-05-19"),
                "client_street": "Paterswoldseweg 210",
                "client_zip": "9727 BW",
                "client_city": "Groningen",
                "client_phone": "+31 6 0000 0204",
                "client_email": False,
                "client_bsn": False,
                "household_adults": 1,
                "household_children": [],
                "target_group": prefill.get("target_group") or "evicted",
                "referral_reason": "arrears",
                "eviction_date": fields.Date.to_date(prefill["eviction_date"])
                if prefill.get("eviction_date")
                else False,
                "court_date": False,
                "description": prefill.get("reason") or "",
                "consent": True,
            },
            org,
            contact,
        )
        referral._woonkans_link_run(run)
        referral.action_confirm_new_client()
        referral.action_accept()
        return referral
