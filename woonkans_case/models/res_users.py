from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._woonkans_set_home_action()
        return users

    def _woonkans_set_home_action(self):
        """Staff of the bureau start in Woonkans, not in Discuss.

        A caseworker starts in their own cases; a coordinator, who divides the
        work, in all open cases of the bureau.
        """
        mine = self.env.ref("woonkans_case.woonkans_case_action_my", raise_if_not_found=False)
        everyone = self.env.ref("woonkans_case.woonkans_case_action", raise_if_not_found=False)
        if not (mine and everyone):
            return
        for user in self.filtered(lambda user: not user.share and not user.action_id):
            if user.has_group("woonkans_case.group_woonkans_coordinator"):
                user.sudo().action_id = everyone.id
            elif user.has_group("woonkans_case.group_woonkans_user"):
                user.sudo().action_id = mine.id
