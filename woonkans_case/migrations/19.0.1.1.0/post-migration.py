"""Case data never carries a portal token (issue 8).

Until 19.0.1.1.0 a case inherited ``portal.mixin``: the portal pager gave cases an
access token, and Odoo's portal gave plan tasks, plan projects and attachments
one. Remove every token that exists on case data, and store the messages
partners may not read as internal.
"""

from odoo import SUPERUSER_ID, api
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Message = env["mail.message"]
    full, partial = Message._woonkans_case_data_models()
    attachments = Domain("res_model", "in", full)
    for name in full + partial:
        model = env[name]
        field = model._fields.get("access_token")
        if field is not None and field.store:
            records = model.search(model._woonkans_case_data_domain() & Domain("access_token", "!=", False))
            cr.execute(
                SQL("UPDATE %s SET access_token = NULL WHERE id = ANY(%s)", SQL.identifier(model._table), records.ids)
            )
        elif not model._abstract and column_exists(cr, model._table, "access_token"):
            # the column of portal.mixin, left behind when the field stopped being stored
            cr.execute(SQL("ALTER TABLE %s DROP COLUMN access_token", SQL.identifier(model._table)))
        if name in partial:
            records = model.search(model._woonkans_case_data_domain())
            attachments |= Domain("res_model", "=", name) & Domain("res_id", "in", records.ids)
    tokens = env["ir.attachment"].search(attachments & Domain("access_token", "!=", False))
    cr.execute(SQL("UPDATE ir_attachment SET access_token = NULL WHERE id = ANY(%s)", tokens.ids))
    hidden = Message.search(Message._woonkans_internal_domain() & Domain("is_internal", "=", False))
    cr.execute(SQL("UPDATE mail_message SET is_internal = TRUE WHERE id = ANY(%s)", hidden.ids))
    env.invalidate_all()
