"""Every field of every form of ours, generated from the declared allow-lists.

A form is declared once, on its model (``_woonkans_forms()`` of a model that
inherits ``woonkans.form.mixin``). This test finds all of them in the registry,
and posts hostile values into each declared field over HTTP: NUL bytes,
Unicode digits, a 5,000-digit number, bytes that are not UTF-8, lone
surrogates, over-long text, a field sent twice. It asserts no server error and
no partial record. A new form without a submitter below fails the test.
"""

import logging
import time
import uuid
from urllib.parse import quote, quote_from_bytes

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.woonkans_case.tests.common_portal import WoonkansPortalCommon

_logger = logging.getLogger(__name__)

HOSTILE = [
    "\x00",
    "a\x00b",
    "²",
    "①",
    "٣",
    "١٢",
    "9" * 5000,
    "-1",
    "1e999",
    "0x10",
    " ",
    "\u202e",
    "é" * 300,
    "<script>alert(1)</script>",
    "%(x)s",
    "\ufffd",
    "\ud800",  # a lone surrogate: sent as bytes that are not UTF-8
    b"\xff\xfe\xfa",  # not UTF-8 at all
    b"caf\xe9",  # latin-1
    ["a", "b"],  # the field twice
    ["", "", "", ""],
    "x" * 120000,
]
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
VALUES = st.one_of(st.sampled_from(HOSTILE), _text)


def encode(pairs):
    parts = []
    for name, value in pairs:
        values = value if isinstance(value, list) else [value]
        for item in values:
            raw = item if isinstance(item, bytes) else str(item).encode("utf-8", "surrogatepass")
            parts.append(f"{quote(name)}={quote_from_bytes(raw)}")
    return "&".join(parts)


@tagged("post_install", "-at_install")
class TestFormsFuzz(WoonkansPortalCommon):
    """Hostile values into every declared field of every form: never a 500, never half a record."""

    EXAMPLES_PER_FORM = 120

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("woonkans_case.bsn_enabled", "True")
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.tree.portal_enabled = True
        cls.referral = cls.env["woonkans.referral"]._woonkans_submit(
            {
                "client_name": "Fuzz Persoon",
                "client_birthdate": "1980-01-01",
                "client_street": "Straat 1",
                "client_zip": "9711 AA",
                "client_city": "Groningen",
                "client_phone": "050 000 0000",
                "client_email": False,
                "household_adults": 1,
                "household_children": [],
                "target_group": "evicted",
                "referral_reason": "arrears",
                "eviction_date": False,
                "court_date": False,
                "description": "",
                "consent": True,
            },
            cls.org_a,
            cls.user_a1.partner_id,
        )
        cls.line = cls.children[cls.case_a]["woonkans.condition.line"]
        evaluation = cls.env["woonkans.case.stage"].search([("phase", "=", "evaluation")], limit=1)
        cls.env.cr.execute(
            "UPDATE woonkans_case SET stage_id = %s, phase = 'evaluation' WHERE id = %s", [evaluation.id, cls.case_a.id]
        )
        cls.env.invalidate_all()

    # ------------------------------------------------------------------
    # the forms, found in the registry
    # ------------------------------------------------------------------

    def _declared_forms(self):
        names, todo = set(), ["woonkans.form.mixin"]
        while todo:
            for child in self.env[todo.pop()]._inherit_children:
                if child not in names:
                    names.add(child)
                    todo.append(child)
        forms = {}
        for name in sorted(names):
            model = self.env[name]
            if model._abstract or model._transient:
                continue
            for form_name, specs in model._woonkans_forms().items():
                forms[form_name] = (name, specs)
        return forms

    def _count(self, sql, *params):
        self.env.flush_all()
        self.env.cr.execute(sql, params)
        return self.env.cr.fetchone()[0]

    def _submitters(self):
        """form name → (url, valid values, snapshot(), accepted(response), reset())."""
        line, case, referral = self.line, self.case_a, self.referral
        run = self.env["woonkans.decision.run"].with_user(self.user_a1).sudo()._start(self.tree, "portal", self.org_a)

        def referral_snapshot():
            return (
                self._count("SELECT count(*) FROM woonkans_referral"),
                self._count("SELECT count(*) FROM woonkans_case"),
                self._count("SELECT count(*) FROM res_partner"),
                self._count("SELECT count(*) FROM ir_attachment"),
            )

        def referral_accepted(response, before, after):
            if "/confirmation/" not in response.headers.get("Location", ""):
                return False
            self.assertEqual(after, (before[0] + 1, *before[1:]), "a referral and nothing else")
            return True

        def messages(model, res_id):
            return self._count("SELECT count(*) FROM mail_message WHERE model = %s AND res_id = %s", model, res_id)

        def reset_withdraw():
            self.env.cr.execute("UPDATE woonkans_referral SET state = 'submitted' WHERE id = %s", [referral.id])
            self.env.invalidate_all()

        def reset_run():
            run.sudo().answer_ids.unlink()
            run.sudo().write({"answers": {}, "state": "in_progress"})

        return {
            "referral": (
                "/my/woonkans/new",
                lambda: {
                    "client_name": "Lieke Mulder",
                    "client_birthdate": "1988-03-14",
                    "client_street": "Kerkstraat 12",
                    "client_zip": "9712ab",
                    "client_city": "Groningen",
                    "client_phone": "050 123 4567",
                    "target_group": "sitting_tenant",
                    "referral_reason": "arrears",
                    "consent": "on",
                    "submission_key": uuid.uuid4().hex,
                },
                referral_snapshot,
                referral_accepted,
                lambda: None,
            ),
            "withdraw": (
                f"/my/woonkans/referral/{referral.id}/withdraw",
                lambda: {"reason": "Not needed any more"},
                lambda: (
                    self._count("SELECT state FROM woonkans_referral WHERE id = %s", referral.id),
                    messages("woonkans.referral", referral.id),
                ),
                lambda response, before, after: "withdrawn=" in response.headers.get("Location", ""),
                reset_withdraw,
            ),
            "condition": (
                f"/my/woonkans/{case.id}/condition/{line.id}",
                lambda: {"status": "met", "note": "Signed"},
                lambda: (
                    self._count(
                        "SELECT status || '|' || coalesce(note, '') FROM woonkans_condition_line WHERE id = %s", line.id
                    ),
                    messages("woonkans.case", case.id),
                ),
                lambda response, before, after: "updated=" in response.headers.get("Location", ""),
                lambda: None,
            ),
            "consent_to_close": (
                f"/my/woonkans/{case.id}/consent_to_close",
                lambda: {"agree": "1"},
                lambda: (
                    self._count(
                        "SELECT count(*) FROM woonkans_case_party WHERE case_id = %s AND consent_to_close", case.id
                    ),
                    messages("woonkans.case", case.id),
                ),
                lambda response, before, after: "consent=1" in response.headers.get("Location", ""),
                lambda: None,
            ),
            "woonkansboom_start": (
                "/my/woonkansboom/start",
                lambda: {"tree_id": str(self.tree.id)},
                lambda: self._count("SELECT count(*) FROM woonkans_decision_run"),
                lambda response, before, after: response.status_code == 303 and after == before + 1,
                lambda: None,
            ),
            "woonkansboom_answer": (
                f"/my/woonkansboom/run/{run.access_token}/answer",
                lambda: {"node": "situation", "answer": "evicted"},
                lambda: self._count("SELECT count(*) FROM woonkans_decision_run_answer WHERE run_id = %s", run.id),
                lambda response, before, after: response.status_code == 303,
                reset_run,
            ),
        }

    def test_every_field_of_every_form(self):
        forms = self._declared_forms()
        submitters = self._submitters()
        self.assertFalse(set(forms) - set(submitters), "a declared form has no submitter in this test")
        self.login(self.user_a1)
        csrf = self._csrf()
        started, total, outcomes = time.time(), 0, {}
        for form_name, (__, specs) in sorted(forms.items()):
            url, valid, snapshot, accepted, reset = submitters[form_name]
            fields = sorted(specs)
            counts = outcomes.setdefault(form_name, {})
            # the valid values are accepted: the submitter really reaches the form
            before = snapshot()
            response = self._send(url, dict(valid(), csrf_token=csrf))
            self.assertTrue(accepted(response, before, snapshot()), f"{form_name}: valid values refused")
            reset()

            self._fuzz(form_name, fields, url, valid, snapshot, accepted, reset, csrf, counts)
            total += sum(counts.values())
        self._logger.info(
            "forms fuzz: %s cases over %s forms (%s fields) in %.1fs: %s",
            total,
            len(forms),
            sum(len(specs) for __, specs in forms.values()),
            time.time() - started,
            outcomes,
        )

    def _fuzz(self, form_name, fields, url, valid, snapshot, accepted, reset, csrf, counts):
        @settings(
            max_examples=self.EXAMPLES_PER_FORM,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(changes=st.lists(st.tuples(st.sampled_from(fields), VALUES), min_size=1, max_size=3))
        def post(changes):
            data = valid()
            data.update(dict(changes))
            data["csrf_token"] = csrf
            before = snapshot()
            response = self._send(url, data)
            self.assertLess(response.status_code, 500, f"{form_name}: {changes!r}")
            after = snapshot()
            if accepted(response, before, after):
                counts["accepted"] = counts.get("accepted", 0) + 1
            else:
                self.assertEqual(after, before, f"{form_name}: partial record for {changes!r}")
                counts[response.status_code] = counts.get(response.status_code, 0) + 1
            reset()

        post()

    def _send(self, url, data):
        with mute_logger("odoo.http", "werkzeug"):
            return self.url_open(
                url,
                data=encode(data.items()),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                allow_redirects=False,
            )

    def _csrf(self):
        import re  # noqa: PLC0415

        page = self.url_open("/my/woonkans/new")
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


ANY_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**5000), max_value=10**5000),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=50),  # lone surrogates included
        st.binary(max_size=50),
        st.sampled_from([v for v in HOSTILE if not isinstance(v, list)]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


@tagged("post_install", "-at_install")
class TestFormsParse(TransactionCase):
    """The parsing layer itself, with what no browser sends (importers, JSON): any Python value."""

    def test_any_value_in_any_declared_field(self):
        forms = TestFormsFuzz._declared_forms(self)
        self.assertGreaterEqual(len(forms), 6)
        tried = {"n": 0}

        @settings(max_examples=1500, deadline=None, derandomize=True, database=None)
        @given(
            form_name=st.sampled_from(sorted(forms)),
            values=st.dictionaries(st.text(max_size=20), ANY_VALUE, max_size=3),
            declared=st.lists(ANY_VALUE, min_size=1, max_size=4),
        )
        def parse(form_name, values, declared):
            model, specs = forms[form_name]
            data = dict(values)
            data.update(zip(sorted(specs), declared, strict=False))
            clean, errors = self.env[model]._woonkans_form_parse(form_name, data)
            self.assertEqual(set(clean), set(specs), "every declared field, nothing else")
            for field, message in errors.items():
                self.assertIn(field, specs)
                self.assertIsInstance(message, str)
                self.assertTrue(message.strip())
            tried["n"] += 1

        parse()
        _logger.info("forms parse: %s generated inputs over %s forms", tried["n"], len(forms))
