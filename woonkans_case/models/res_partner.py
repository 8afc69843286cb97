from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    woonkans_role_ids = fields.Many2many(
        "woonkans.organisation.role",
        "res_partner_woonkans_role_rel",
        "partner_id",
        "role_id",
        string="Network roles",
        help="What this organisation is in the woonkans network.",
    )
    woonkans_is_client = fields.Boolean(
        string="Woonkans client", index=True, groups="woonkans_case.group_woonkans_user"
    )
    woonkans_birthdate = fields.Date(string="Date of birth", groups="woonkans_case.group_woonkans_user")
    woonkans_bsn = fields.Char(
        string="BSN",
        groups="woonkans_case.group_woonkans_user",
        copy=False,
        help="Only recorded when the settings allow it: a BSN needs a legal basis.",
    )
    woonkans_adults = fields.Integer(
        string="Adults in household", default=1, groups="woonkans_case.group_woonkans_user"
    )
    woonkans_child_ids = fields.One2many(
        "woonkans.household.child",
        "partner_id",
        string="Children",
        groups="woonkans_case.group_woonkans_user",
    )
    woonkans_children_count = fields.Integer(
        string="Children in household",
        compute="_compute_woonkans_children_count",
        groups="woonkans_case.group_woonkans_user",
    )
    woonkans_case_ids = fields.One2many(
        "woonkans.case", "client_id", string="Cases", groups="woonkans_case.group_woonkans_user"
    )
    woonkans_case_count = fields.Integer(
        compute="_compute_woonkans_case_count", groups="woonkans_case.group_woonkans_user"
    )
    woonkans_case_readable = fields.Boolean(
        string="Readable case",
        compute="_compute_woonkans_case_readable",
        search="_search_woonkans_case_readable",
        groups="base.group_user",
        help="The current user may read a case of this client: a client's personal data is "
        "reached only through the cases the user may see.",
    )

    @api.depends("woonkans_child_ids")
    def _compute_woonkans_children_count(self):
        for partner in self:
            partner.woonkans_children_count = len(partner.woonkans_child_ids)

    def _compute_woonkans_case_count(self):
        counts = dict(
            self.env["woonkans.case"]._read_group([("client_id", "in", self.ids)], ["client_id"], ["__count"])
        )
        for partner in self:
            partner.woonkans_case_count = counts.get(partner, 0)

    def _compute_woonkans_case_readable(self):
        cases = self.env["woonkans.case"].sudo().with_context(active_test=False).search([("client_id", "in", self.ids)])
        readable = cases._woonkans_filter_readable().client_id
        for partner in self:
            partner.woonkans_case_readable = partner in readable

    def _search_woonkans_case_readable(self, operator, value):
        return self.env["woonkans.case"]._woonkans_search_readable("woonkans_case_ids", operator, value)

    @api.model
    def _woonkans_bsn_enabled(self):
        return self.env["ir.config_parameter"].sudo().get_param("woonkans_case.bsn_enabled") == "True"

    @api.model
    def _woonkans_validate_postcode(self, postcode):
        """Return the postcode in its standard form, or raise a translated error."""
        try:
            return stdnum_postcode.validate(postcode)
        except StdnumValidationError:
            raise ValidationError(
                self.env._("%(postcode)s is not a valid Dutch postcode (e.g. 9712 AB).", postcode=postcode)
            ) from None

    @api.model
    def _woonkans_validate_bsn(self, number):
        if not self._woonkans_bsn_enabled():
            raise ValidationError(
                self.env._("Recording a BSN is disabled. An administrator can enable it in the settings.")
            )
        try:
            return stdnum_bsn.validate(number)
        except StdnumValidationError:
            raise ValidationError(
                self.env._("%(bsn)s is not a valid BSN: it fails the eleven test.", bsn=number)
            ) from None

    @api.constrains("zip", "country_id", "woonkans_is_client")
    def _check_woonkans_postcode(self):
        netherlands = self.env.ref("base.nl", raise_if_not_found=False)
        for partner in self.sudo():
            if not (partner.woonkans_is_client and partner.zip):
                continue
            if partner.country_id and partner.country_id != netherlands:
                continue
            self._woonkans_validate_postcode(partner.zip)

    @api.constrains("woonkans_bsn")
    def _check_woonkans_bsn(self):
        for partner in self.sudo():
            if partner.woonkans_bsn:
                self._woonkans_validate_bsn(partner.woonkans_bsn)

    @api.constrains("woonkans_birthdate")
    def _check_woonkans_birthdate(self):
        today = fields.Date.context_today(self)
        for partner in self.sudo():
            if partner.woonkans_birthdate and partner.woonkans_birthdate > today:
                raise ValidationError(self.env._("A date of birth cannot be in the future."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._woonkans_normalise_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._woonkans_normalise_vals(vals)
        return super().write(vals)

    def _woonkans_normalise_vals(self, vals):
        """Store BSN and postcode in one canonical form so searches find them."""
        if vals.get("woonkans_bsn"):
            vals["woonkans_bsn"] = stdnum_bsn.compact(vals["woonkans_bsn"])
        if vals.get("zip") and (vals.get("woonkans_is_client") or any(self.sudo().mapped("woonkans_is_client"))):
            # an invalid postcode is kept as typed: the constraint reports it, translated
            if stdnum_postcode.is_valid(vals["zip"]):
                vals["zip"] = stdnum_postcode.validate(vals["zip"])

    def _woonkans_anonymise(self):
        """Remove a former client's personal data, keeping the record for references."""
        partners = self.with_context(tracking_disable=True, mail_notrack=True)
        partners.woonkans_child_ids.unlink()
        contacts = partners.with_context(active_test=False).child_ids
        if contacts:
            contacts._woonkans_anonymise()
        partners.write(
            {
                "name": self.env._("Anonymised client"),
                "email": False,
                "phone": False,
                "street": False,
                "street2": False,
                "zip": False,
                "city": False,
                "woonkans_birthdate": False,
                "woonkans_bsn": False,
                "woonkans_is_client": False,
                "comment": False,
                "ref": False,
                "vat": False,
                "website": False,
                "function": False,
                "company_name": False,
                "active": False,
            }
        )
        partners.message_ids.unlink()
        self.env["ir.attachment"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)]).unlink()

    def action_view_woonkans_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("woonkans_case.woonkans_case_action")
        action["domain"] = [("client_id", "=", self.id)]
        action["context"] = {"default_client_id": self.id}
        return action
