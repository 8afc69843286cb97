import base64
import binascii

from odoo import fields, models
from odoo.exceptions import UserError

from ..models import decision_transfer as transfer


class WoonkansDecisionTreeImport(models.TransientModel):
    """Import a version exported as JSON (from this or another bureau) as a new draft."""

    _name = "woonkans.decision.tree.import"
    _inherit = ["woonkans.portal.readable.mixin"]
    _description = "Import a decision tree version"

    data_file = fields.Binary(string="Export file (JSON)", required=True)
    filename = fields.Char()
    tree_id = fields.Many2one(
        "woonkans.decision.tree",
        string="Add to tree",
        help="Leave empty to use the tree of the file: its code here, or a new tree.",
    )
    new_tree_code = fields.Char(
        string="Or as a new tree with code", help="Import as a copy next to an existing tree, e.g. woonkansboom_twente."
    )
    new_tree_name = fields.Char(string="Name of the new tree")

    def action_import(self):
        self.ensure_one()
        try:
            raw = base64.b64decode(self.data_file or b"", validate=True)
        except (binascii.Error, ValueError):
            raise UserError(self.env._("The file could not be read.")) from None
        data = transfer.parse(raw, self.env)
        code = self.tree_id.code or (self.new_tree_code or "").strip() or None
        if self.new_tree_code and not self.tree_id:
            if self.env["woonkans.decision.tree"].with_context(active_test=False).search_count([("code", "=", code)]):
                raise UserError(self.env._("A tree with the code %(code)s already exists.", code=code))
        draft = transfer.import_version(self.env, data, tree_code=code, tree_name=self.new_tree_name or None)
        draft._log_review(self.env._("Imported from %(file)s.", file=self.filename or "JSON"))
        return draft._open_form()
