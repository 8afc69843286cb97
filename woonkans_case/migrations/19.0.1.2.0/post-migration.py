"""Reload our record rules: they are ``noupdate``, so an update keeps the old ones.

The access fixes of 19.0.1.2.0 change rule domains (clients and households
through their cases, parties shared with the parties, plan tasks and plans
asking the case rules instead of ``user.has_group()``) and add rules. Loading
the security file in init mode writes them again, still ``noupdate``.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import convert_file


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    convert_file(env, "woonkans_case", "security/woonkans_case_security.xml", None, mode="init")
