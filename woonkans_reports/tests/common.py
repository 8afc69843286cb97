import io
from datetime import date, timedelta

import openpyxl

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.woonkans_case.tests.common import WoonkansCaseCommon


class WoonkansReportsCommon(WoonkansCaseCommon):
    """Four cases with known dates and outcomes on top of woonkans_case's users and teams.

    second_chance: case_positive (181 days, rehoused), case_negative (30 days,
    evicted, yellow + red card), case_neutral (120 days, moved away);
    supported_living: case_open (running, one overdue condition).
    The reports' own team has only ``caseworker``, so ``caseworker_2`` reaches
    its cases only as their caseworker.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the figures below are exact: keep demo cases (dated relative to today) out of them
        cls.env["woonkans.case"].search([]).write({"active": False})
        ref = cls.env.ref
        cls.team = cls.env["woonkans.team"].create(
            {"name": "Team Rapport", "member_ids": [Command.set(cls.caseworker.ids)]}
        )
        Partner = cls.env["res.partner"]
        cls.corp_a = Partner.create({"name": "Woonbron Proef", "is_company": True})
        cls.corp_b = Partner.create({"name": "Huisvest Elders", "is_company": True})
        cls.care = Partner.create({"name": "Zorgpunt Proef", "is_company": True})
        cls.probation = Partner.create({"name": "Reclassering Proef", "is_company": True})
        cls.client = Partner.create({"name": "Noor Testklant", "woonkans_is_client": True})
        cls.client_2 = Partner.create({"name": "Joost Proefpersoon", "woonkans_is_client": True})
        cls.portal_a = new_test_user(
            cls.env,
            login="wkr_portal_a",
            groups="base.group_portal",
            name="Petra Portaal",
            parent_id=cls.corp_a.id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login="wkr_portal_b",
            groups="base.group_portal",
            name="Bas Anderorg",
            parent_id=cls.corp_b.id,
        )
        cls.supported = ref("woonkans_case.trajectory_type_supported_living")
        cls.stage_closed = cls.env["woonkans.case.stage"].search([("phase", "=", "closed")], limit=1)
        cls.stage_intake = cls.env["woonkans.case.stage"].search([("phase", "=", "intake")], limit=1)

        cls.case_positive = cls._case(
            cls.client,
            "evicted",
            cls.caseworker,
            cls.second_chance,
            date(2024, 12, 1),
            date(2024, 12, 15),
            date(2025, 1, 1),
            referrer=cls.corp_a,
            consent_sharing=True,
        )
        cls.case_negative = cls._case(
            cls.client_2,
            "sitting_tenant",
            cls.caseworker_2,
            cls.second_chance,
            date(2025, 1, 10),
            date(2025, 1, 20),
            date(2025, 2, 1),
            referrer=cls.corp_b,
        )
        cls.case_neutral = cls._case(
            cls.client_2,
            "evicted",
            cls.caseworker_2,
            cls.second_chance,
            date(2025, 1, 5),
            False,
            date(2025, 1, 1),
            referrer=cls.corp_a,
        )
        cls.case_open = cls._case(
            cls.client,
            "vulnerable",
            cls.caseworker_2,
            cls.supported,
            date(2025, 3, 1),
            date(2025, 3, 8),
            date(2025, 3, 15),
            team=cls.team,
        )
        cls.case_open.with_context(woonkans_gate_override="Test fixture").stage_id = cls.stage_intake
        # Parties, payments, cards, tenancy, plan and assessment on the positive case.
        Party = cls.env["woonkans.case.party"]
        Party.create({"case_id": cls.case_positive.id, "partner_id": cls.care.id})
        cls.case_positive._woonkans_record_consent(cls.care, consent_text="De cliënt stemt in met delen.")
        Party.create({"case_id": cls.case_positive.id, "partner_id": cls.probation.id, "share_on_portal": False})
        Line = cls.env["woonkans.condition.line"]
        cls.line_probation = Line.create(
            {
                "case_id": cls.case_positive.id,
                "name": "Report to probation monthly",
                "responsible_partner_id": cls.probation.id,
            }
        )
        cls.line_corp = Line.create(
            {
                "case_id": cls.case_positive.id,
                "name": "House visit by the corporation",
                "responsible_partner_id": cls.corp_a.id,
                "status": "met",
                "note": "Sensitive visit note",
            }
        )
        cls.arrangement = cls.env["woonkans.payment.arrangement"].create(
            {
                "case_id": cls.case_positive.id,
                "creditor_id": cls.corp_a.id,
                "total_debt": 1234.5,
                "monthly_amount": 75,
                "date_start": date(2025, 1, 1),
            }
        )
        Card = cls.env["woonkans.card.event"]
        Card.create(
            {
                "case_id": cls.case_negative.id,
                "card": "yellow",
                "date": date(2025, 2, 10),
                "reason": "Missed two appointments",
            }
        )
        Card.create(
            {"case_id": cls.case_negative.id, "card": "red", "date": date(2025, 3, 1), "reason": "Rent not paid again"}
        )
        Card.create(
            {
                "case_id": cls.case_positive.id,
                "card": "yellow",
                "date": date(2025, 2, 15),
                "reason": "Secret card reason",
            }
        )
        cls.env["woonkans.tenancy.agreement"].create(
            {
                "case_id": cls.case_positive.id,
                "corporation_id": cls.corp_a.id,
                "care_provider_id": cls.care.id,
                "date_start": date(2025, 1, 1),
                "address": "Proefstraat 1",
            }
        )
        cls.case_positive.action_create_plan()
        cls.env["project.task"].create(
            {
                "name": "Find a daytime activity",
                "project_id": cls.case_positive.project_id.id,
                "woonkans_partner_id": cls.care.id,
            }
        )
        version = ref("woonkans_case.assessment_version_zrm_2017")
        assessment = cls.env["woonkans.assessment"].create(
            {"case_id": cls.case_positive.id, "version_id": version.id, "date": date(2025, 1, 10)}
        )
        assessment.score_ids[:1].score = "2"
        # One overdue and one met condition on the open case.
        open_lines = cls.case_open.condition_line_ids
        if not open_lines:
            open_lines = Line.create(
                [
                    {"case_id": cls.case_open.id, "name": "First contact"},
                    {"case_id": cls.case_open.id, "name": "Plan of action"},
                ]
            )
        open_lines.write({"status": "open", "date_due": date.today() + timedelta(days=10)})
        open_lines[0].date_due = date.today() - timedelta(days=3)
        open_lines[1:].write({"status": "met"})
        # Closures
        cls._close(cls.case_positive, "woonkans_case.closure_reason_rehoused", date(2025, 7, 1))
        cls._close(cls.case_negative, "woonkans_case.closure_reason_evicted", date(2025, 3, 3))
        cls._close(cls.case_neutral, "woonkans_case.closure_reason_moved_away", date(2025, 5, 1))
        # A case of another company, assigned to the caseworker: hidden by the company rule.
        cls.company_2 = cls.env["res.company"].create({"name": "Woonkans Elders"})
        cls.case_company_2 = cls.env["woonkans.case"].create(
            {
                "client_id": cls.client.id,
                "target_group": "vulnerable",
                "company_id": cls.company_2.id,
                "user_id": cls.caseworker.id,
            }
        )
        cls.env.flush_all()

    @classmethod
    def _case(
        cls,
        client,
        target_group,
        user,
        trajectory,
        referral,
        intake,
        start,
        referrer=None,
        team=None,
        consent_sharing=False,
    ):
        case = cls.env["woonkans.case"].create(
            {
                "client_id": client.id,
                "target_group": target_group,
                "date_referral": referral,
                "user_id": user.id,
                "team_id": team.id if team else False,
                "trajectory_type_id": trajectory.id,
                "referrer_id": referrer.id if referrer else False,
                "intake_date": intake,
                "date_start": start,
                "consent_ids": [
                    Command.create({"partner_id": referrer.id, "consent_text": "De cliënt stemt in met delen."})
                ]
                if consent_sharing and referrer
                else [],
            }
        )
        return case

    @classmethod
    def _close(cls, case, reason_xmlid, closed_on):
        case.write(
            {
                "stage_id": cls.stage_closed.id,
                "closure_reason_id": cls.env.ref(reason_xmlid).id,
                "closure_override_reason": "Test fixture",
                "date_closed": closed_on,
            }
        )

    @staticmethod
    def _read_xlsx(content):
        return openpyxl.load_workbook(io.BytesIO(content), data_only=True)

    @staticmethod
    def _find_header_row(sheet, first_header):
        for row in sheet.iter_rows(min_row=1, max_row=15):
            if row[0].value == first_header:
                return row[0].row
        raise AssertionError(f"Header {first_header!r} not found in sheet {sheet.title!r}")

    @classmethod
    def _table(cls, sheet, first_header):
        """Rows below the header as dicts keyed by header."""
        header_row = cls._find_header_row(sheet, first_header)
        headers = [cell.value for cell in sheet[header_row]]
        rows = []
        for values in sheet.iter_rows(min_row=header_row + 1, values_only=True):
            if values[0] is None:
                break
            rows.append(dict(zip(headers, values, strict=False)))
        return header_row, headers, rows
