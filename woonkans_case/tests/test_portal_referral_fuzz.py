import re
import time
import uuid
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .common_portal import PDF, WoonkansPortalCommon

TODAY = date.today()

# each field draws from valid values, invalid values and hostile text
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
_hostile = st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "{{ 7*7 }}", "%(x)s", "\u202e", " ", "é" * 200])
_dates = st.one_of(
    st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 1, 1)).map(date.isoformat),
    st.sampled_from(["", "31-12-2000", "2000-02-30", "yesterday", "0000-00-00"]),
)
_birthdates = st.one_of(
    st.dates(min_value=date(1920, 1, 1), max_value=TODAY - timedelta(days=1)).map(date.isoformat), _dates
)
_near = st.one_of(
    st.just(""),
    st.integers(min_value=-300, max_value=600).map(lambda d: (TODAY + timedelta(days=d)).isoformat()),
    _dates,
)
_zips = st.one_of(
    st.sampled_from(["9712 AB", "9712ab", "7511AA", "1011 AB"]),
    st.sampled_from(["12345", "0123 AB", "ABCD 12", ""]),
    _text,
)
_names = st.one_of(st.sampled_from(["Lieke Mulder", "Jan de Boer", "Ayşe Yılmaz"]), _hostile, _text)
_choice = lambda valid, invalid: st.one_of(st.sampled_from(valid), st.sampled_from(invalid), _text)  # noqa: E731

FORMS = st.fixed_dictionaries(
    {
        "client_name": _names,
        "client_birthdate": _birthdates,
        "client_street": st.one_of(st.just("Kerkstraat 1"), _hostile, _text),
        "client_zip": _zips,
        "client_city": st.one_of(st.just("Groningen"), _text),
        "client_phone": st.one_of(st.sampled_from(["050 123 4567", "+31612345678", ""]), _text),
        "client_email": st.one_of(st.sampled_from(["a@example.com", "", "not-an-email"]), _text),
        "client_bsn": st.one_of(st.sampled_from(["111222333", "123456789", ""]), _text),
        "household_adults": st.one_of(st.sampled_from(["1", "2", "0", "-1", "21", ""]), _text),
        "household_children": st.one_of(st.sampled_from(["", "2015", "2012, 2016", "2099", "1850", "a,b"]), _text),
        "target_group": _choice(["evicted", "sitting_tenant", "vulnerable"], ["", "staff"]),
        "referral_reason": _choice(
            ["arrears", "nuisance", "neglect", "worrying", "eviction", "independent_living"], ["", "second_chance"]
        ),
        "eviction_date": _near,
        "court_date": _near,
        "description": st.one_of(_hostile, _text, st.just("x" * 5001)),
        "consent": st.sampled_from(["on", "on", "on", "", "off"]),
    }
)
VALID_FORMS = st.fixed_dictionaries(
    {
        "client_name": st.one_of(st.sampled_from(["Lieke Mulder", "Ayşe Yılmaz"]), _hostile.filter(str.strip)),
        "client_birthdate": st.dates(min_value=date(1920, 1, 1), max_value=TODAY - timedelta(days=1)).map(
            date.isoformat
        ),
        "client_street": st.sampled_from(["Kerkstraat 1", "Oude Ebbingestraat 3 <b>", "Hoofdweg 10-2"]),
        "client_zip": st.sampled_from(["9712 AB", "9712ab", "7511AA", " 1011 ab "]),
        "client_city": st.sampled_from(["Groningen", "Enschede", "'s-Hertogenbosch"]),
        "client_phone": st.sampled_from(["050 123 4567", "+31612345678"]),
        "client_email": st.sampled_from(["a@example.com", ""]),
        "client_bsn": st.sampled_from(["111222333", ""]),
        "household_adults": st.sampled_from(["1", "2", ""]),
        "household_children": st.sampled_from(["", "2015", "2012, 2016", "2010;2011 2012"]),
        "target_group": st.sampled_from(["evicted", "sitting_tenant", "vulnerable"]),
        "referral_reason": st.sampled_from(["arrears", "nuisance", "neglect", "worrying", "independent_living"]),
        "eviction_date": st.integers(min_value=-300, max_value=600).map(
            lambda d: (TODAY + timedelta(days=d)).isoformat()
        ),
        "court_date": st.sampled_from(["", (TODAY + timedelta(days=5)).isoformat()]),
        "description": st.one_of(_hostile, _text),
        "consent": st.just("on"),
    }
)
ONE_BAD_FIELD = st.tuples(VALID_FORMS, FORMS).flatmap(
    lambda pair: st.sampled_from(sorted(pair[0])).map(lambda field: {**pair[0], field: pair[1][field]})
)
MIXED_FORMS = st.one_of(VALID_FORMS, ONE_BAD_FIELD, ONE_BAD_FIELD, FORMS)
UPLOADS = st.sampled_from(
    [
        None,
        None,
        None,
        ("brief.pdf", PDF),
        ("evil.pdf", b"<html><script></script></html>"),
        ("big.pdf", PDF + b"0" * 1100000),
    ]
)


@tagged("post_install", "-at_install")
class TestPortalReferralFuzz(WoonkansPortalCommon):
    """1,000 generated referrals: never a server error, never half a referral, never a client or case yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("woonkans_case.max_upload_mb", "1")
        cls.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")

    def _counts(self):
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT (SELECT count(*) FROM woonkans_referral),
                      (SELECT count(*) FROM woonkans_case),
                      (SELECT count(*) FROM res_partner WHERE woonkans_is_client),
                      (SELECT count(*) FROM woonkans_case_party),
                      (SELECT count(*) FROM woonkans_household_child)"""
        )
        return self.env.cr.fetchone()

    def test_generated_referrals(self):
        self.login(self.user_a1)
        page = self.url_open("/my/woonkans/new")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        outcomes = {200: 0, 303: 0, 400: 0}
        started = time.time()

        @settings(
            max_examples=1000,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(form=MIXED_FORMS, upload=UPLOADS)
        def post_referral(form, upload):
            before = self._counts()
            data = dict(form, csrf_token=csrf, submission_key=uuid.uuid4().hex)
            files = [("attachments", (upload[0], upload[1], "application/pdf"))] if upload else None
            response = self.url_open("/my/woonkans/new", data=data, files=files, allow_redirects=False)
            self.assertIn(response.status_code, outcomes, response.text[:300])
            outcomes[response.status_code] += 1
            after = self._counts()
            if response.status_code == 303 and "/confirmation/" in response.headers.get("Location", ""):
                # a complete referral, and nothing else: client and case wait for the bureau
                self.assertEqual(after, (before[0] + 1, *before[1:]))
                key = response.headers["Location"].rsplit("/", 1)[1]
                self.assertEqual(key, data["submission_key"])
                referral = self.env["woonkans.referral"].search([("submission_key", "=", key)])
                self.assertEqual(referral.referrer_id, self.org_a)
                self.assertTrue(referral.consent_given)
                self.assertTrue(referral.consent_text)
            else:
                self.assertEqual(after, before, f"partial referral saved for {form!r}")

        post_referral()
        self.assertGreater(outcomes[303], 50, outcomes)
        self.assertGreater(outcomes[400], 50, outcomes)
        self._logger.info("1000 generated referrals in %.1fs: %s", time.time() - started, outcomes)
