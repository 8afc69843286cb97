"""Referrals become their own records.

Every case still in the referral phase gets a referral (state submitted,
linked to its client and case) so the intake team decides on it the new way;
the case keeps its messages and history, the referral points to it. The
"new referral" activity type now belongs to referrals.
"""

import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)


def migrate(cr, version):
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
