from odoo.tests import HttpCase, tagged

from odoo.addons.woonkans_case.tests.access_matrix import AccessMatrixMixin


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccessMatrixMixin, HttpCase):
    """woonkans_reports/security/access_matrix.csv, checked over JSON-RPC as every role."""

    matrix_addon = "woonkans_reports"
