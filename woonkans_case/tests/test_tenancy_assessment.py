from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import WoonkansCaseCommon


@tagged("post_install", "-at_install")
class TestTenancyAssessment(WoonkansCaseCommon):
    def test_tenancy_agreement_term_and_conversion(self):
        case = self._create_case(trajectory_type_id=self.conditional.id)
        start = date.today() - relativedelta(months=3)
        agreement = self.env["woonkans.tenancy.agreement"].create(
            {
                "case_id": case.id,
                "corporation_id": self.corporation.id,
                "care_provider_id": self.care_provider.id,
                "date_start": start,
            }
        )
        self.assertEqual(agreement.term_months, 24)
        self.assertEqual(agreement.date_end, start + relativedelta(months=24))
        self.assertEqual(agreement.date_review, start + relativedelta(months=12))
        with self.assertRaises(ValidationError):
            agreement.date_review = start - relativedelta(days=1)
        other = self.env["woonkans.tenancy.agreement"].create(
            {
                "case_id": case.id,
                "corporation_id": self.corporation.id,
                "date_start": start,
                "date_review": start + relativedelta(months=6),
                "term_months": 12,
            }
        )
        self.assertEqual(other.date_review, start + relativedelta(months=6), "a hand-set review date is kept")
        self.assertEqual(other.date_end, start + relativedelta(months=12), "and the end still follows the term")
        agreement.action_start()
        agreement.action_convert()
        self.assertEqual(agreement.state, "converted")
        self.assertEqual(agreement.conversion_date, date.today())

    def test_zrm_assessment_has_thirteen_domains(self):
        version = self.env.ref("woonkans_case.assessment_version_zrm_2017")
        self.assertEqual(len(version.domain_ids), 13)
        self.assertEqual(version.label_1, "Acute problems")
        case = self._create_case()
        first = self.env["woonkans.assessment"].create(
            {"case_id": case.id, "version_id": version.id, "date": date.today() - relativedelta(months=6)}
        )
        self.assertEqual(len(first.score_ids), 13)
        first.score_ids.write({"score": "2"})
        first.score_ids[0].score = "1"
        self.assertAlmostEqual(first.average_score, (12 * 2 + 1) / 13)
        self.assertEqual(first.acute_count, 1)
        self.assertEqual(first.score_ids[0].score_label, "Acute problems")
        second = self.env["woonkans.assessment"].create({"case_id": case.id, "version_id": version.id})
        second.score_ids.write({"score": "4"})
        trend = self.env["woonkans.assessment.score"]._read_group(
            [("case_id", "=", case.id)], ["date:month"], ["score_value:avg"]
        )
        self.assertEqual([round(avg, 2) for _month, avg in trend], [round(first.average_score, 2), 4.0])
        self.assertEqual(case.assessment_count, 2)

    def test_score_of_another_version_is_refused(self):
        other = self.env["woonkans.assessment.version"].create(
            {
                "name": "ZRM 11",
                "code": "zrm_11",
                "label_1": "a",
                "label_2": "b",
                "label_3": "c",
                "label_4": "d",
                "label_5": "e",
                "domain_ids": [Command.create({"name": "Inkomen", "code": "inkomen"})],
            }
        )
        case = self._create_case()
        assessment = self.env["woonkans.assessment"].create(
            {"case_id": case.id, "version_id": self.env.ref("woonkans_case.assessment_version_zrm_2017").id}
        )
        with self.assertRaises(ValidationError):
            assessment.score_ids = [Command.create({"domain_id": other.domain_ids.id, "score": "3"})]
