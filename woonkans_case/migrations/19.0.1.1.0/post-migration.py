"""Woonkans 19.0.1.1.0: case data without portal tokens, referrals as records, one job per reminder.

1. Case data never carries a portal token (issue 8). Until 19.0.1.1.0 a case
   inherited ``portal.mixin``: the portal pager gave cases an access token, and
   Odoo's portal gave plan tasks, plan projects and attachments one. Remove
   every token that exists on case data, and store the messages partners may
   not read as internal.
2. Referrals become their own records (issue 9). Every case still in the
   referral phase gets a referral (state submitted, linked to its client and
   case) so the intake team decides on it the new way; the case keeps its
   messages and history, the referral points to it. The "new referral"
   activity type now belongs to referrals.
3. The daily reminder job became one job per kind: the existing job (kept
   with noupdate) now runs the condition reminders only.
"""

import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    _remove_tokens(cr)
    _referrals_from_cases(cr)
    _split_reminder_job(cr)


def _remove_tokens(cr):
    env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
    Message = env["mail.message"]
    full, partial = Message._woonkans_case_data_models()
    attachments = Domain("res_model", "in", full)
    for name in full + partial:
        model = env[name]
        field = model._fields.get("access_token")
        if field is not None and field.store:
            # portal tokens only: a Woonkansboom run's own walking key stays
            if isinstance(model, env.registry["portal.mixin"]):
                records = model.search(model._woonkans_case_data_domain() & Domain("access_token", "!=", False))
                cr.execute(
                    SQL(
                        "UPDATE %s SET access_token = NULL WHERE id = ANY(%s)",
                        SQL.identifier(model._table),
                        records.ids,
                    )
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


def _referrals_from_cases(cr):
    env = api.Environment(
        cr, SUPERUSER_ID, {"active_test": False, "tracking_disable": True, "woonkans_skip_matching": True}
    )
    activity_type = env.ref("woonkans_case.mail_activity_type_new_referral", raise_if_not_found=False)
    if activity_type:
        # open activities of that type on cases stay where they are
        activity_type.res_model = "woonkans.referral"
    Referral = env["woonkans.referral"]
    cases = env["woonkans.case"].search([("phase", "=", "referral")])
    known = set(Referral.search([("case_id", "in", cases.ids)]).case_id.ids)
    consent_text = Referral._woonkans_consent_text()
    created = Referral
    for case in cases.filtered(lambda c: c.id not in known):
        client = case.client_id
        submitted = fields.Datetime.to_datetime(case.date_referral) or case.create_date
        referral = Referral.create(
            {
                "company_id": case.company_id.id,
                "source": "portal" if case.source == "portal" else "staff",
                "referrer_id": case.referrer_id.id,
                "referrer_contact_id": case.referrer_contact_id.id,
                "team_id": case.team_id.id,
                "user_id": case.user_id.id,
                "date_submitted": submitted,
                "client_name": client.name or case.name,
                "client_birthdate": client.woonkans_birthdate,
                "client_street": client.street,
                "client_zip": client.zip,
                "client_city": client.city,
                "client_phone": client.phone,
                "client_email": client.email,
                "household_adults": client.woonkans_adults or 1,
                "children_years": ", ".join(str(c.birth_year) for c in client.woonkans_child_ids),
                "target_group": case.target_group,
                "referral_reason": case.referral_reason,
                "eviction_date": case.eviction_date,
                "court_date": case.court_date,
                "description": html2plaintext(case.description) if case.description else False,
                "consent_given": case.consent_sharing,
                "consent_text": consent_text if case.consent_sharing else False,
                "consent_date": fields.Datetime.to_datetime(case.consent_date) if case.consent_date else False,
                "match_state": "linked",
                "client_id": client.id,
                "case_id": case.id,
            }
        )
        referral.message_post(
            body=env._("Made from case %(case)s when referrals became their own records.", case=case.name),
            subtype_xmlid="mail.mt_note",
        )
        created |= referral
    _logger.info("woonkans_case: %s referral(s) made from cases in the referral phase", len(created))


def _split_reminder_job(cr):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("woonkans_case.ir_cron_woonkans_reminders", raise_if_not_found=False)
    if cron:
        cron.write(
            {
                "model_id": env["ir.model"]._get_id("woonkans.condition.line"),
                "code": "model._cron_remind_due()",
                "name": "Woonkans: reminders for conditions due or overdue",
            }
        )
