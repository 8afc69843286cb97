import base64
import logging
import os
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.woonkans_retention import ANONYMISED_TEXT_FIELDS, KEPT_TEXT_FIELDS
from .common import WoonkansCaseCommon

# An invented person whose every detail is unusual enough to be found anywhere.
_logger = logging.getLogger(__name__)


NAME = "Quirijn Zeldzaamheid"
STREET = "Wolkenkrabberpad 77"
PHONE = "+31 6 4242 9191"
EMAIL = "quirijn.zeldzaam@example.org"
BSN = "246813593"
BIRTHDATE = date(1968, 11, 23)
IDENTIFYING = [
    NAME,
    "Zeldzaamheid",
    STREET,
    "Wolkenkrabberpad",
    PHONE,
    "4242 9191",
    "42429191",
    EMAIL,
    "zeldzaam@",
    BSN,
    "1968-11-23",
    "23-11-1968",
    "23/11/1968",
]


@tagged("post_install", "-at_install")
class TestRetentionAnonymise(WoonkansCaseCommon):
    """After the retention period the nightly job leaves nothing in the database that identifies the client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")
        # with tracking and chatter on, as in real use
        env = cls.env(
            context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=False, mail_notrack=False)
        )
        cls.person = env["res.partner"].create(
            {
                "name": NAME,
                "woonkans_is_client": True,
                "street": STREET,
                "zip": "9711 AB",
                "city": "Groningen",
                "phone": PHONE,
                "email": EMAIL,
                "woonkans_bsn": BSN,
                "woonkans_birthdate": BIRTHDATE,
                "comment": f"<p>{NAME} belt liever na 17 uur</p>",
            }
        )
        cls.person.message_post(body=f"Adres {STREET} bevestigd", message_type="comment")
        case = env["woonkans.case"].create(
            {
                "client_id": cls.person.id,
                "target_group": "evicted",
                "user_id": cls.caseworker.id,
                "team_id": cls.team.id,
                "trajectory_type_id": cls.second_chance.id,
                "description": f"<p>{NAME} woont aan de {STREET}, bereikbaar op {PHONE}</p>",
                "note_internal": f"<p>BSN {BSN}, geboren {BIRTHDATE.strftime('%d-%m-%Y')}</p>",
            }
        )
        # tracking values with the name as old and as new value (tracking is written at commit time)
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        case.client_id = cls.client
        cls.env.flush_all()
        cls.env.cr.precommit.run()
        case.client_id = cls.person
        case.message_post(body=f"Gesprek met {NAME} ({EMAIL})", message_type="comment")
        env["woonkans.condition.line"].create({"case_id": case.id, "name": "Budgetcoach", "note": f"{NAME} akkoord"})
        env["woonkans.card.event"].create({"case_id": case.id, "reason": f"{NAME} niet thuis"})
        # consent records: the text agreed to, a justification, a signed form and a withdrawal can name the client
        consent = env["woonkans.consent"].create(
            {
                "case_id": case.id,
                "partner_id": cls.corporation.id,
                "purpose": f"Begeleiding van {NAME}",
                "consent_text": f"Ik, {NAME}, stem in met delen.",
                "signed_document": base64.b64encode(f"Handtekening {NAME}, {STREET}".encode()),
                "signed_document_name": f"toestemming-{NAME}.pdf",
            }
        )
        consent.with_context(woonkans_consent_withdraw=True).action_withdraw(note=f"{NAME} belde op {PHONE}")
        env["woonkans.consent"].create(
            {
                "case_id": case.id,
                "partner_id": cls.corporation.id,
                "legal_basis_id": env.ref("woonkans_case.legal_basis_vital_interest").id,
                "justification": f"{NAME} dreigt dakloos te raken",
            }
        )
        env["woonkans.tenancy.agreement"].create(
            {"case_id": case.id, "corporation_id": cls.corporation.id, "address": STREET}
        )
        arrangement = env["woonkans.payment.arrangement"].create(
            {
                "case_id": case.id,
                "creditor_id": cls.corporation.id,
                "total_debt": 800,
                "monthly_amount": 40,
                "date_start": date.today().replace(day=1),
                "note": f"Betaalt via {EMAIL}",
            }
        )
        env["woonkans.payment.record"].create({"arrangement_id": arrangement.id, "status": "on_time", "note": PHONE})
        env["woonkans.assessment"].create(
            {
                "case_id": case.id,
                "version_id": cls.env.ref("woonkans_case.assessment_version_zrm_2017").id,
                "note": f"{NAME}: schulden",
            }
        )
        case.action_create_plan()
        task = env["project.task"].create(
            {"name": f"Bel {NAME}", "project_id": case.project_id.id, "description": f"<p>{PHONE}</p>"}
        )
        task.message_post(body=f"{NAME} gebeld", message_type="comment")
        case.with_context(woonkans_gate_override="Test fixture").write(
            {
                "stage_id": cls.stage["closed"].id,
                "closure_reason_id": cls.env.ref("woonkans_case.closure_reason_rehoused").id,
                "closure_note": f"{NAME} verhuisd naar {STREET}",
                "closure_override_reason": "Test fixture",
            }
        )
        case.date_closed = date.today() - relativedelta(years=30)
        cls.case = case
        # the referral that brought the client in keeps its own copy of the client data
        cls.referral = (
            env["woonkans.referral"]
            .sudo()
            .create(
                {
                    "referrer_id": cls.corporation.id,
                    "client_name": NAME,
                    "client_birthdate": BIRTHDATE,
                    "client_street": STREET,
                    "client_zip": "9711 AB",
                    "client_city": "Groningen",
                    "client_phone": PHONE,
                    "client_email": EMAIL,
                    "client_bsn": BSN,
                    "target_group": "evicted",
                    "description": f"{NAME} is uitgezet",
                    "state": "accepted",
                    "client_id": cls.person.id,
                    "case_id": case.id,
                }
            )
        )
        cls.referral.message_post(body=f"Aanmelding van {NAME}", message_type="comment")
        cls.env.flush_all()
        cls.env.cr.precommit.run()  # tracking values are written at commit time

    def setUp(self):
        super().setUp()
        # documents per test: the filestore is outside the transaction, and a test that ran the
        # garbage collection removed the files of the previous test's (rolled back) attachments
        env = self.env
        env["ir.attachment"].create(
            {
                "name": f"Paspoort {NAME}.txt",
                "raw": f"{NAME} {BSN} {BIRTHDATE.strftime('%d-%m-%Y')}".encode(),
                "res_model": "res.partner",
                "res_id": self.person.id,
            }
        )
        env["ir.attachment"].create(
            {
                "name": f"Huurcontract {NAME}.txt",
                "raw": f"Huurder: {NAME}, {STREET}".encode(),
                "res_model": "woonkans.case",
                "res_id": self.case.id,
            }
        )
        self.env.flush_all()

    def _find(self, strings):
        """Every (table, column) of a text, varchar or jsonb column holding one of the strings."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.table_name, array_agg(c.column_name::text ORDER BY c.column_name)
              FROM information_schema.columns c
              JOIN information_schema.tables t
                ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema()
               AND t.table_type = 'BASE TABLE'
               AND c.data_type IN ('text', 'character varying', 'jsonb', 'character')
             GROUP BY c.table_name
            """
        )
        patterns = [f"%{s}%" for s in strings]
        hits = []
        tables = cr.fetchall()
        for table, columns in tables:
            for column in columns:
                cr.execute(
                    f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE ANY(%s)',  # noqa: S608
                    [patterns],
                )
                if cr.fetchone()[0]:
                    hits.append(f"{table}.{column}")
        return hits, len(tables), sum(len(columns) for _t, columns in tables)

    def _find_in_filestore(self, strings):
        root = self.env["ir.attachment"]._filestore()
        needles = [s.encode() for s in strings]
        hits, count = [], 0
        for dirpath, _dirs, filenames in os.walk(root):
            if os.path.basename(dirpath) == "checklist":
                continue
            for filename in filenames:
                path = os.path.join(dirpath, filename)
                with open(path, "rb") as handle:
                    content = handle.read()
                count += 1
                if any(needle in content for needle in needles):
                    hits.append(path)
        return hits, count

    def test_the_scan_finds_the_person_before(self):
        hits, _tables, _columns = self._find(IDENTIFYING)
        for expected in (
            "res_partner.name",
            "mail_message.body",
            "mail_tracking_value.old_value_char",
            "mail_tracking_value.new_value_char",
        ):
            self.assertIn(expected, hits)
        self.assertIn("woonkans_case.note_internal", hits)
        file_hits, _count = self._find_in_filestore([NAME])
        self.assertTrue(file_hits, "the attachments are in the filestore")

    def test_nothing_identifying_is_left_after_anonymisation(self):
        Retention = self.env["woonkans.retention"]
        self.assertIn(self.case, Retention._due_cases())
        cases, clients = Retention._anonymise()
        self.assertIn(self.case, cases)
        self.assertIn(self.person, clients)
        self.env.flush_all()
        self.env["ir.attachment"]._gc_file_store_unsafe()
        hits, tables, columns = self._find(IDENTIFYING)
        self.assertEqual(hits, [], "identifying data left behind")
        file_hits, files = self._find_in_filestore(IDENTIFYING)
        self.assertEqual(file_hits, [], "identifying data left in the filestore")
        _logger.info(f"TestRetentionAnonymise: scanned {columns} columns in {tables} tables and {files} files")
        # the figures stay
        self.assertTrue(self.case.exists())
        self.assertEqual(self.case.anonymised_on, date.today())
        self.assertEqual(self.case.outcome, "positive")
        self.assertEqual(self.case.client_id, self.person)
        self.assertFalse(self.person.active)
        self.assertEqual(self.referral.anonymised_on, date.today())
        # and the next run has nothing left to do
        self.assertEqual(Retention._anonymise(), (self.env["woonkans.case"], self.env["res.partner"]))

    def test_dry_run_changes_nothing(self):
        review = self.env["woonkans.retention.review"].with_user(self.coordinator).create({})
        self.assertIn(self.case, review.case_ids)
        self.assertIn(self.person, review.client_ids)
        self.assertIn(self.case.name, review.summary)
        self.assertIn(self.case, review.destroy_case_ids)
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.coordinator)
            ._render_qweb_html("woonkans_case.woonkans_retention_review_report", review.ids)
        )
        self.assertIn(self.case.name, html.decode())
        self.assertEqual(self.person.name, NAME)
        self.assertFalse(self.case.anonymised_on)
        with self.assertRaises(AccessError):
            review.with_user(self.caseworker).action_anonymise()

    def test_every_text_field_is_anonymised_or_declared_kept(self):
        count = 0
        for model_name, anonymised in ANONYMISED_TEXT_FIELDS.items():
            kept = set(KEPT_TEXT_FIELDS.get(model_name, ()))
            for name, field in self.env[model_name]._fields.items():
                if field.store and field.type in ("char", "text", "html") and not field.related:
                    count += 1
                    with self.subTest(model=model_name, field=name):
                        self.assertIn(name, set(anonymised) | kept)
        _logger.info(
            f"TestRetentionAnonymise: {count} stored text fields over {len(ANONYMISED_TEXT_FIELDS)} models declared"
        )

    def test_referrals_follow_the_policy(self):
        """A declined referral that never became a case goes after the grace period; an open one keeps its client."""
        Referral = self.env["woonkans.referral"].sudo()
        values = {"referrer_id": self.corporation.id, "target_group": "vulnerable", "client_street": STREET}
        old_declined = Referral.create({**values, "client_name": "Gerrit Afgewezen", "state": "declined"})
        self.env.cr.execute(
            "UPDATE woonkans_referral SET date_answered = now() - interval '60 days' WHERE id = %s", [old_declined.id]
        )
        recent_declined = Referral.create(
            {**values, "client_name": "Rosa Recent", "state": "declined", "date_answered": fields.Datetime.now()}
        )
        waiting = self.env["res.partner"].create({"name": "Wim Wachtend", "woonkans_is_client": True})
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '100 days' WHERE id = %s", [waiting.id]
        )
        Referral.create({**values, "client_name": waiting.name, "client_id": waiting.id, "state": "in_review"})
        self.env.invalidate_all()
        Retention = self.env["woonkans.retention"]
        self.assertNotIn(waiting, Retention._due_clients(), "a client whose referral is being decided is kept")
        Retention._anonymise()
        self.assertTrue(old_declined.anonymised_on)
        self.assertNotEqual(old_declined.client_name, "Gerrit Afgewezen")
        self.assertFalse(old_declined.client_street)
        self.assertFalse(recent_declined.anonymised_on)
        self.assertEqual(recent_declined.client_name, "Rosa Recent")
        self.assertTrue(waiting.active)
