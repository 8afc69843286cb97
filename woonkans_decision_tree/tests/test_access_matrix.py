from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.woonkans_case.tests.access_matrix import AccessMatrixMixin


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixMixin, HttpCase):
    """woonkans_decision_tree/security/access_matrix.csv, checked over JSON-RPC as every role."""

    matrix_addon = "woonkans_decision_tree"

    @classmethod
    def _matrix_fixture(cls):
        result = super()._matrix_fixture()
        demo_run = cls.env["woonkans.decision.run"].search([], limit=1)
        twente_case = cls.env["woonkans.case"].search(
            [("team_id", "=", cls.env.ref("woonkans_case.woonkans_team_twente_demo").id)], limit=1
        )
        portal = cls.role_users["portal"]
        makers = [
            # runs of each portal organisation, one of the caseworker's own, one on a Twente case
            (portal[0], {"organisation_id": portal[0].commercial_partner_id.id, "channel": "portal"}),
            (portal[1], {"organisation_id": portal[1].commercial_partner_id.id, "channel": "portal"}),
            (cls.role_users["caseworker"][0], {}),
            (cls.role_users["administrator"][0], {"case_id": twente_case.id}),
        ]
        for user, values in makers:
            run = demo_run.with_user(user).sudo().copy(values)
            for answer in demo_run.answer_ids:
                answer.with_user(user).sudo().copy({"run_id": run.id})
        # a draft version, whose questions can be edited (a published version is frozen)
        cls.env["woonkans.decision.tree.version"].search([("state", "=", "published")], limit=1).action_new_draft()
        cls.env["woonkans.rate.limit"].create(
            {"bucket": "runs", "address": "192.0.2.1", "window_start": fields.Datetime.now(), "hits": 1}
        )
        return result
