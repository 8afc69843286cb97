import logging
import re

from odoo.tests import TransactionCase, tagged
from odoo.tools import html2plaintext
from odoo.tools.misc import file_path

_logger = logging.getLogger(__name__)


MODULES = ("woonkans_case", "woonkans_decision_tree", "woonkans_reports")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
PO_ENTRY = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def _po_string(block):
    return (
        "".join(re.findall(r'^"(.*)"$', block, re.MULTILINE))
        .encode()
        .decode("unicode_escape")
        .encode("latin-1")
        .decode()
    )


def _pattern(template):
    """A regex matching ``template`` with any text in its placeholders (captured)."""
    parts = PLACEHOLDER.split(template)
    return re.compile("^" + "(.+?)".join(re.escape(part) for part in parts) + "$", re.DOTALL)


def translations():
    """(English msgid, Dutch msgstr) of our add-ons where the Dutch differs."""
    pairs = {}
    for module in MODULES:
        with open(file_path(f"{module}/i18n/nl.po"), encoding="utf-8") as po:
            for msgid, msgstr in PO_ENTRY.findall(po.read()):
                source, dutch = _po_string(msgid), _po_string(msgstr)
                if source and dutch and source != dutch:
                    pairs[source] = dutch
    return pairs


@tagged("post_install", "-at_install")
class TestDemoChatterDutch(TransactionCase):
    """A Dutch caseworker reads the demo cases' chatter and activities: no English from our source."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pairs = translations()
        cls.english = set(cls.pairs)
        templated = [source for source in cls.pairs if PLACEHOLDER.search(source)]
        cls.english_patterns = [
            _pattern(source) for source in templated if re.search(r"[A-Za-z]{3}", PLACEHOLDER.sub("", source))
        ]
        cls.dutch_patterns = [_pattern(cls.pairs[source]) for source in templated]
        cls.fragments = {
            piece
            for source in cls.pairs
            for piece in (p.strip(" :.,;()→-\n") for p in PLACEHOLDER.split(source))
            if len(re.findall(r"[A-Za-z]+", piece)) >= 2
        }

    def _english_in(self, text, names):
        """The English our add-ons' source would have put in ``text``, or None."""
        text = text.strip()
        if text in self.english:
            return text
        for pattern in self.english_patterns:
            if pattern.match(text):
                return pattern.pattern
        for pattern in self.dutch_patterns:
            match = pattern.match(text)
            for value in match.groups() if match else ():
                if value.strip() in self.english:
                    return value
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        for fragment in self.fragments:
            if re.search(rf"(?<![\w-]){re.escape(fragment)}(?![\w-])", text):
                return fragment
        return None

    def test_demo_chatter_and_activities_are_dutch(self):
        cases = self.env["woonkans.case"].with_context(active_test=False).search([])
        demo = self.env["ir.model.data"].search([("model", "=", "woonkans.case"), ("name", "=like", "%_demo")])
        cases = cases.filtered(lambda case: case.id in demo.mapped("res_id"))
        if not cases:
            self.skipTest("no demo data")
        # the daily job writes the reminders, as it does every night
        self.env["woonkans.case"]._cron_send_reminders()
        reader = self.env.ref("woonkans_case.res_users_medewerker_demo")
        self.assertEqual(reader.lang, "nl_NL")
        env = self.env(user=reader, context={"lang": "nl_NL"}, su=True)
        names = set(env["res.partner"].with_context(active_test=False).search([]).mapped("name"))
        names |= set(cases.mapped("name"))
        messages = env["mail.message"].search([("model", "=", "woonkans.case"), ("res_id", "in", cases.ids)])
        activities = env["mail.activity"].search([("res_model", "=", "woonkans.case"), ("res_id", "in", cases.ids)])
        texts = [(f"message {m.id}", html2plaintext(m.body or "")) for m in messages if m.body]
        texts += [(f"activity {a.id}", a.summary) for a in activities if a.summary]
        self.assertTrue(messages.filtered("body"), "the demo cases have chatter")
        self.assertTrue(activities, "the reminders job gave the demo cases activities")
        english = [(where, text, found) for where, text in texts if (found := self._english_in(text, names))]
        _logger.info(
            f"TestDemoChatterDutch: {len(texts)} texts checked against {len(self.pairs)} English source strings"
        )
        self.assertFalse(english, "English on demo cases:\n" + "\n".join(map(repr, english)))

    def test_the_check_finds_english(self):
        """The check itself: the English and half-English texts our source would write are found."""
        self.assertTrue(self._english_in("Condition Huisbezoek: Open → Met (by Mila)", set()))
        self.assertTrue(self._english_in("Voorwaarde Huisbezoek: Open → Met (door Mila)", set()))
        self.assertTrue(self._english_in("Condition due: Huisbezoek", set()))
        self.assertFalse(self._english_in("Voorwaarde Huisbezoek: Open → Voldaan (door Mila)", set()))
        self.assertFalse(self._english_in("Uiterste datum voorwaarde: Huisbezoek", set()))
