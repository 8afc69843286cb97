from odoo import api, fields, models
from odoo.fields import Domain

# The one rule of what a partner (any portal or public user) may read in the
# chatter of case data: the discussion with the bureau, i.e. comments posted
# with the "Discussions" subtype (the portal chatter and the caseworker's "Send
# message"). Everything else (notes, tracking, logs, e-mails sent from
# templates, activities) is internal. See ``_woonkans_partner_message_domain``.
PARTNER_MESSAGE_TYPES = ("comment",)
PARTNER_MESSAGE_SUBTYPES = ("mail.mt_comment",)


class WoonkansThreadMixin(models.AbstractModel):
    """Chatter of a model of ours: no portal access token, partners read only the discussion.

    Used instead of ``portal.mixin``: the record has a portal URL but no
    ``access_token`` (the field exists for Odoo's token checks and is always
    empty), and access is decided by the record rules only.
    """

    _name = "woonkans.thread.mixin"
    _description = "Woonkans chatter without portal tokens"
    _inherit = ["mail.thread"]

    access_url = fields.Char(string="Portal URL", compute="_compute_access_url")
    access_token = fields.Char(
        string="Security token",
        compute="_compute_access_token",
        help="Always empty: case data is reached through the record rules only, never with a token.",
    )

    def _compute_access_url(self):
        for record in self:
            record.access_url = False

    def _compute_access_token(self):
        for record in self:
            record.access_token = False

    @api.model
    def _woonkans_partner_message_domain(self):
        """The messages of case data a partner may read (the one rule, as a domain on mail.message)."""
        subtypes = [self.env.ref(xmlid).id for xmlid in PARTNER_MESSAGE_SUBTYPES]
        return (
            Domain("message_type", "in", PARTNER_MESSAGE_TYPES)
            & Domain("subtype_id", "in", subtypes)
            & Domain("is_internal", "=", False)
        )

    @api.model
    def _woonkans_is_partner_message(self, values):
        """The same rule for the values of a message being created."""
        subtypes = [self.env.ref(xmlid).id for xmlid in PARTNER_MESSAGE_SUBTYPES]
        return (
            values.get("message_type", "comment") in PARTNER_MESSAGE_TYPES
            and values.get("subtype_id") in subtypes
            and not values.get("is_internal")
        )

    @api.model
    def _get_allowed_access_params(self):
        # no token, hash or pid ever reaches the access checks of our threads
        return super()._get_allowed_access_params() - {"token", "hash", "pid"}

    def _get_access_action(self, access_uid=None, force_website=False):
        """Partners who may read the record open it on the portal (no token in the URL)."""
        self.ensure_one()
        user = self.env["res.users"].sudo().browse(access_uid) if access_uid else self.env.user
        if (user.share or force_website) and self.access_url and self.with_user(user).has_access("read"):
            return {"type": "ir.actions.act_url", "url": self.access_url, "target": "self", "res_id": self.id}
        return super()._get_access_action(access_uid=access_uid, force_website=force_website)
