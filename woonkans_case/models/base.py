from odoo import api, models
from odoo.fields import Domain

CASE_DATA_PREFIX = "woonkans."


class Base(models.AbstractModel):
    _inherit = "base"

    @api.model
    def _woonkans_case_data_domain(self):
        """Records of this model that belong to a case, as a domain; None if none do.

        Case data never carries or honours a portal access token (nor a hash/pid
        signature): it is reached only through the record rules, so a contact who
        lost access cannot come back through a link they kept. Every model of our
        add-ons is case data; models of other add-ons that hold part of a case
        (plan tasks and their projects) override this.
        """
        return Domain.TRUE if self._name.startswith(CASE_DATA_PREFIX) else None

    def _woonkans_case_data(self):
        """The records of ``self`` that are case data (see ``_woonkans_case_data_domain``)."""
        domain = self._woonkans_case_data_domain()
        if domain is None or not self:
            return self.browse()
        if domain.is_true():
            return self
        return self.browse(self.sudo().filtered_domain(domain).ids)
