"""Consent records replace the case's consent box (19.0.1.3.0).

Until now one box on the case let every current party shared on the portal see
the whole case. Each such case gets one consent record per organisation on a
line shared on the portal, covering what it could see (everything but the life
domains), so no organisation gains or loses access by the upgrade (a line that
has ended still keeps its organisation out). The record says where it
came from: the referral's consent text when the case came from one, else a
note that it was migrated from the box. The portal rules, which are
``noupdate``, are loaded again to ask the records instead of the box.
"""

import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import convert_file

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    # the box as it was stored before the field became computed
    cr.execute("SELECT id, consent_date FROM woonkans_case WHERE consent_sharing")
    boxes = dict(cr.fetchall())
    Consent = env["woonkans.consent"].with_context(tracking_disable=True, mail_notrack=True)
    categories = env["woonkans.consent.category"]._default_categories()
    basis = env.ref("woonkans_case.legal_basis_consent")
    created = 0
    for case in env["woonkans.case"].with_context(active_test=False).browse(list(boxes)).exists():
        referral = env["woonkans.referral"].search([("case_id", "=", case.id), ("consent_given", "=", True)], limit=1)
        text = referral.consent_text or env._(
            "Migrated from the consent box of the case: the client consented to information sharing "
            "with the parties on the case."
        )
        date_given = boxes[case.id] or fields.Date.to_date(case.create_date)
        # every organisation on a line shared on the portal, also one whose line has ended (of a
        # closed case, say): the record keeps the fact that the client consented, while the
        # ended line keeps that organisation out, as before
        organisations = case.party_ids.filtered("share_on_portal").partner_id.commercial_partner_id
        vals_list = [
            {
                "case_id": case.id,
                "partner_id": organisation.id,
                "category_ids": [fields.Command.set(categories.ids)],
                "legal_basis_id": basis.id,
                "consent_text": text,
                "date_given": min(date_given, fields.Date.today()),
                "referral_id": referral.id if referral.referrer_id.commercial_partner_id == organisation else False,
                "user_id": SUPERUSER_ID,
            }
            for organisation in organisations
            if not case.consent_ids.filtered(lambda c, org=organisation: c.partner_id == org and c.state == "active")
        ]
        if vals_list:
            Consent.create(vals_list)
            created += len(vals_list)
    cases = env["woonkans.case"].with_context(active_test=False).search([])
    env.add_to_compute(cases._fields["consent_sharing"], cases)
    env.add_to_compute(cases._fields["consent_date"], cases)
    cases.flush_recordset(["consent_sharing", "consent_date"])
    # a box without any organisation to record it for (no party shared on the portal) is
    # no consent any more: its checklist condition opens again
    cases.browse(list(boxes)).exists()._sync_consent_lines()
    convert_file(env, "woonkans_case", "security/woonkans_case_security.xml", None, mode="init")
    _logger.info("woonkans_case 19.0.1.3.0: %s consent records made from %s consent boxes", created, len(boxes))
