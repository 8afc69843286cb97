from odoo.tests import HttpCase, tagged

from .access_matrix import AccessMatrixMixin


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixMixin, HttpCase):
    """woonkans_case/security/access_matrix.csv, checked over JSON-RPC as every role."""

    matrix_addon = "woonkans_case"

    @classmethod
    def _matrix_fixture(cls):
        result = super()._matrix_fixture()
        twente = cls.env.ref("woonkans_case.woonkans_team_twente_demo")
        case = cls.env["woonkans.case"].search([("team_id", "=", twente.id)], limit=1)
        # the leader of Team Twente reaches a plan, a referral and its match of that team
        case.action_create_plan()
        cls.env["project.task"].create({"name": "Matrix: a goal", "project_id": case.project_id.id})
        referral = cls.env["woonkans.referral"].search([], limit=1).copy({"team_id": twente.id, "user_id": False})
        cls.env["woonkans.referral.match"].create(
            {"referral_id": referral.id, "partner_id": case.client_id.id, "reasons": "Matrix"}
        )
        # a client without a case yet, with a child, registered by the caseworker
        caseworker = cls.role_users["caseworker"][0]
        client = (
            cls.env["res.partner"].with_user(caseworker).create({"name": "Mats Matrix", "woonkans_is_client": True})
        )
        cls.env["woonkans.household.child"].with_user(caseworker).create({"partner_id": client.id, "birth_year": 2015})
        # the read log has entries
        assessments = cls.env["woonkans.assessment"].search([], limit=2)
        cls.env["woonkans.access.log"]._log(assessments, route="server", field_names=["note"])
        return result
