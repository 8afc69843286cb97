from collections import defaultdict

from odoo import api, models, tools
from odoo.fields import Domain

from odoo.addons.mail.tools.discuss import Store


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    @tools.ormcache()
    def _woonkans_case_data_models(self):
        """(models whose records are all case data, models of which some records are)."""
        full, partial = [], []
        for name in sorted(self.env.registry):
            model = self.env[name]
            if model._abstract or model._transient:
                continue
            domain = model._woonkans_case_data_domain()
            if domain is not None:
                (full if domain.is_true() else partial).append(name)
        return tuple(full), tuple(partial)

    @api.model
    def _woonkans_case_data_message_domain(self):
        """Messages posted on case data."""
        full, partial = self._woonkans_case_data_models()
        domains = [Domain("model", "in", full)]
        for name in partial:
            records = self.env[name].sudo()._search(self.env[name]._woonkans_case_data_domain())
            domains.append(Domain("model", "=", name) & Domain("res_id", "any!", records))
        return Domain.OR(domains)

    @api.model
    def _woonkans_internal_domain(self):
        """Messages on case data that are not for partners: stored as internal."""
        partner_messages = self.env["woonkans.thread.mixin"]._woonkans_partner_message_domain()
        return self._woonkans_case_data_message_domain() & ~partner_messages

    @api.model
    def _woonkans_partner_domain(self):
        """Messages the current (portal or public) user may read: outside case data as Odoo decides;
        on case data only the messages for partners (``woonkans.thread.mixin``) of records the user
        may read under the record rules, whoever wrote or received them.
        """
        full, partial = self._woonkans_case_data_models()
        readable = []
        for name in full + partial:
            if not self.env["ir.model.access"].check(name, "read", raise_exception=False):
                continue
            Model = self.env[name]
            records = Model._search(Model._woonkans_case_data_domain())
            readable.append(Domain("model", "=", name) & Domain("res_id", "any!", records))
        partner_messages = self.env["woonkans.thread.mixin"]._woonkans_partner_message_domain()
        return ~self._woonkans_case_data_message_domain() | (partner_messages & Domain.OR(readable))

    def _woonkans_hidden_from_partners(self):
        """The messages of ``self`` the current portal or public user may not read or change."""
        if not self:
            return self
        domain = self._woonkans_partner_domain()
        return self.browse(self.sudo()._search(Domain("id", "in", self.ids) & ~domain))

    @api.model_create_multi
    def create(self, vals_list):
        """Every message on case data that is not meant for partners is stored as internal."""
        Mixin = self.env["woonkans.thread.mixin"]
        for vals in vals_list:
            model, res_id = vals.get("model"), vals.get("res_id")
            if not model or not res_id or model not in self.env or vals.get("is_internal"):
                continue
            if Mixin._woonkans_is_partner_message(vals):
                continue
            if self.env[model].browse(res_id)._woonkans_case_data():
                vals["is_internal"] = True
        return super().create(vals_list)

    def _get_search_domain_share(self):
        return super()._get_search_domain_share() & self._woonkans_partner_domain()

    def _get_forbidden_access(self, operation):
        forbidden = super()._get_forbidden_access(operation)
        if not self.env.user._is_internal():
            forbidden |= (self - forbidden)._woonkans_hidden_from_partners()
        return forbidden

    def _to_store_defaults(self, target):
        """A partner sees the attachments of a message on case data, even their names, only
        under a consent that covers the case's documents (the rule of ``ir.attachment``)."""
        field_names = super()._to_store_defaults(target)
        if self.env.su or not self.env.user.share:
            return field_names
        attachments = next(
            (f for f in field_names if isinstance(f, Store.Many) and f.field_name == "attachment_ids"), None
        )
        if attachments is None:
            return field_names
        hidden = self._woonkans_documents_hidden()
        field_names[field_names.index(attachments)] = Store.Many(
            "attachment_ids",
            sort="id",
            dynamic_fields=attachments.dynamic_fields,
            sudo=True,
            value=lambda message: message.sudo().attachment_ids.browse()
            if (message.model, message.res_id) in hidden
            else message.sudo().attachment_ids,
        )
        return field_names

    def _woonkans_documents_hidden(self):
        """{(model, res_id)} of these messages' records whose documents the current share user
        may not see: one check for all messages (the rule of ``ir.attachment``)."""
        ids_by_model = defaultdict(set)
        for message in self.sudo():
            if message.model and message.res_id:
                ids_by_model[message.model].add(message.res_id)
        Attachment = self.env["ir.attachment"].sudo(False)
        return set(Attachment._inaccessible_comodel_records(ids_by_model, "read"))
