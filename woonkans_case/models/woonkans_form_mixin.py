"""One parsing layer for every form of ours (portal, public page, importer).

A form model declares its fields once, as an allow-list of specs (in the
spirit of Odoo's ``_get_frontend_writable_fields``): ``_woonkans_forms()``
returns ``{form name: {field name: spec}}``. ``_woonkans_form_parse`` turns any
input into clean Python values or a clear (translated) message per field: NUL
bytes and control characters, Unicode digits such as ``²``, ``①`` or ``٣``
(``str.isdigit()`` is true, ``int()`` fails or surprises), numbers of 5,000
digits, undecodable bytes and replacement characters, over-long values, lists
where one value is expected. Anything not declared is ignored.

The primitives below (``coerce_text``, ``parse_int``, ``parse_number``,
``parse_iso_date``) are plain functions so that code without an environment
(an add-on's rule engine) parses the same way; they raise ``FormError`` with a
message *code*, which the model turns into a translated text.
"""

import datetime
import re
import unicodedata
from collections.abc import Mapping

from odoo import api, models

ASCII_INT_RE = re.compile(r"[+-]?[0-9]{1,15}")
ASCII_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]{1,15}(?:[.,][0-9]{1,6})?|[.,][0-9]{1,6})")
ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# control characters except tab and newlines; a form never needs them
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_ANY_RE = re.compile(r"[\x00-\x1f\x7f]")
# hard cap on what we even look at: longer input is refused, never parsed
HARD_MAX = 100000


class FormError(ValueError):
    """A value that cannot be accepted; ``code`` names the message."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def coerce_text(raw, max_length=None, multiline=False):
    """Any input → one clean ``str`` (NFC, stripped) or ``FormError``."""
    if raw is None or raw is False:
        return ""
    if isinstance(raw, (list, tuple, set, dict)):
        raise FormError("one_value")
    if isinstance(raw, bool):
        raise FormError("invalid")
    if isinstance(raw, (int, float)):
        raw = str(raw)
    if isinstance(raw, (bytes, bytearray)):
        try:
            raw = bytes(raw[: HARD_MAX + 1]).decode("utf-8")
        except UnicodeDecodeError:
            raise FormError("encoding") from None
    if not isinstance(raw, str):
        raise FormError("invalid")
    if len(raw) > HARD_MAX:
        raise FormError("too_long", max=max_length or HARD_MAX)
    if "\ufffd" in raw:
        # what werkzeug makes of bytes that were not UTF-8
        raise FormError("encoding")
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        raise FormError("encoding") from None
    if (_CONTROL_RE if multiline else _CONTROL_ANY_RE).search(raw.replace("\r\n", "\n") if multiline else raw):
        raise FormError("control")
    value = unicodedata.normalize("NFC", raw).strip()
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if max_length and len(value) > max_length:
        raise FormError("too_long", max=max_length)
    return value


def parse_int(raw, minimum=None, maximum=None):
    """ASCII digits only, at most 15 of them; ``None`` when empty."""
    text = coerce_text(raw, max_length=32)
    if not text:
        return None
    if not ASCII_INT_RE.fullmatch(text):
        raise FormError("integer")
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise FormError("range", min=minimum, max=maximum)
    return value


def parse_number(raw):
    """A decimal number in ASCII (comma or point), or ``None`` when empty."""
    if isinstance(raw, bool):
        raise FormError("number")
    if isinstance(raw, (int, float)):
        value = float(raw)
        if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e15:
            raise FormError("number")
        return value
    text = coerce_text(raw, max_length=32)
    if not text:
        return None
    if not ASCII_NUMBER_RE.fullmatch(text):
        raise FormError("number")
    return float(text.replace(",", "."))


def parse_iso_date(raw):
    """``YYYY-MM-DD`` in ASCII digits (a date object is taken as is), or ``None``."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    text = coerce_text(raw, max_length=32)
    if not text:
        return None
    if not ISO_DATE_RE.fullmatch(text[:10]) or len(text) not in (10, 19) or len(text) == 19 and text[10] not in " T":
        raise FormError("date")
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise FormError("date") from None


class Spec:
    """How one form field is read. Subclasses implement ``parse``."""

    kind = "text"

    def __init__(self, required=False, max_length=128, error=None, check=None, multiline=False, default=None):
        self.required = required
        self.max_length = max_length
        self.error = error  # message for a missing value (a callable taking env)
        self.check = check  # name of a model method: (value) -> clean value, raises ValidationError
        self.multiline = multiline
        self.default = default

    def parse(self, model, raw):
        return coerce_text(raw, self.max_length, self.multiline)

    def is_empty(self, value):
        return value in (None, "", False, [])


class Text(Spec):
    pass


class Integer(Spec):
    kind = "integer"

    def __init__(self, minimum=None, maximum=None, **kw):
        kw.setdefault("max_length", 32)
        super().__init__(**kw)
        self.minimum = minimum
        self.maximum = maximum

    def parse(self, model, raw):
        return parse_int(raw, self.minimum, self.maximum)


class Date(Spec):
    kind = "date"

    def __init__(self, earliest=None, latest=None, **kw):
        super().__init__(**kw)
        self.earliest = earliest  # callables: today -> date
        self.latest = latest

    def parse(self, model, raw):
        value = parse_iso_date(raw)
        if value is None:
            return None
        today = model._woonkans_form_today()
        if self.latest and value > self.latest(today):
            raise FormError("date_late", date=self.latest(today).isoformat())
        if self.earliest and value < self.earliest(today):
            raise FormError("date_early", date=self.earliest(today).isoformat())
        return value


class Choice(Spec):
    kind = "choice"

    def __init__(self, values, **kw):
        super().__init__(**kw)
        self.values = values  # iterable of codes, or the name of a model method returning them

    def allowed(self, model):
        values = getattr(model, self.values)() if isinstance(self.values, str) else self.values
        return [str(v) for v in values]

    def parse(self, model, raw):
        text = coerce_text(raw, max_length=64)
        if not text:
            return None
        if text not in self.allowed(model):
            raise FormError("choice")
        return text


class Flag(Spec):
    kind = "flag"
    TRUE = ("on", "1", "true", "yes")

    def parse(self, model, raw):
        text = coerce_text(raw, max_length=8)
        return text.lower() in self.TRUE

    def is_empty(self, value):
        return not value


class YearList(Spec):
    """Years separated by commas, semicolons or spaces (e.g. children's birth years)."""

    kind = "years"

    def __init__(self, earliest_year=1900, max_items=20, **kw):
        kw.setdefault("max_length", 200)
        super().__init__(**kw)
        self.earliest_year = earliest_year
        self.max_items = max_items

    def parse(self, model, raw):
        text = coerce_text(raw, self.max_length)
        years = []
        this_year = model._woonkans_form_today().year
        for item in re.split(r"[\s,;]+", text):
            if not item:
                continue
            year = parse_int(item)
            if year is None or not self.earliest_year <= year <= this_year:
                raise FormError("years")
            years.append(year)
        if len(years) > self.max_items:
            raise FormError("years_count", max=self.max_items)
        return years


class TextList(Spec):
    """A field that may be sent several times (check boxes): a list of clean texts."""

    kind = "list"

    def __init__(self, max_items=30, **kw):
        kw.setdefault("max_length", 64)
        super().__init__(**kw)
        self.max_items = max_items

    def parse(self, model, raw):
        if raw is None or raw == "":
            return []
        items = list(raw) if isinstance(raw, (list, tuple)) else [raw]
        if len(items) > self.max_items:
            raise FormError("too_many", max=self.max_items)
        return [coerce_text(item, self.max_length) for item in items]


class WoonkansFormMixin(models.AbstractModel):
    """Inherit this and declare ``_woonkans_forms()``; parse with ``_woonkans_form_parse``."""

    _name = "woonkans.form.mixin"
    _description = "Woonkans form parsing"

    @api.model
    def _woonkans_forms(self):
        """``{form name: {field name: Spec}}``: the fields each form may carry."""
        return {}

    @api.model
    def _woonkans_form_today(self):
        from odoo import fields  # noqa: PLC0415 - keep the module importable without an env

        return fields.Date.context_today(self)

    @api.model
    def _woonkans_form_message(self, error):
        """The translated text of a ``FormError``."""
        params = error.params
        messages = {
            "one_value": lambda: self.env._("Give one value."),
            "invalid": lambda: self.env._("This value is not valid."),
            "encoding": lambda: self.env._("This text contains characters that could not be read; type it again."),
            "control": lambda: self.env._("This text contains characters that are not allowed."),
            "too_long": lambda: self.env._(
                "This value is too long (at most %(max)s characters).", max=params.get("max")
            ),
            "integer": lambda: self.env._("Enter a whole number in digits 0-9."),
            "number": lambda: self.env._("Enter a number."),
            "range": lambda: self.env._(
                "Enter a number from %(min)s to %(max)s.",
                min=params.get("min") if params.get("min") is not None else "…",
                max=params.get("max") if params.get("max") is not None else "…",
            ),
            "date": lambda: self.env._("Enter a date as YYYY-MM-DD."),
            "date_late": lambda: self.env._(
                "This date is too far in the future (latest %(date)s).", date=params.get("date")
            ),
            "date_early": lambda: self.env._(
                "This date is too far in the past (earliest %(date)s).", date=params.get("date")
            ),
            "choice": lambda: self.env._("Choose one of the options."),
            "years": lambda: self.env._(
                "Enter the birth years of the children, separated by commas (e.g. 2012, 2016)."
            ),
            "years_count": lambda: self.env._("Enter at most %(max)s children.", max=params.get("max")),
            "required": lambda: self.env._("This field is required."),
            "too_many": lambda: self.env._("Give at most %(max)s values.", max=params.get("max")),
        }
        return messages.get(error.code, messages["invalid"])()

    @api.model
    def _woonkans_form_parse(self, form_name, data):
        """Parse ``data`` (a dict, or a werkzeug MultiDict) for ``form_name``.

        Returns ``(clean, errors)``: clean holds every declared field (its
        default when missing or wrong), errors maps field → message.
        """
        specs = self._woonkans_forms()[form_name]
        clean, errors = {}, {}
        getlist = getattr(data, "getlist", None)
        for name, spec in specs.items():
            if getlist is not None:
                values = getlist(name)
                raw = values if len(values) > 1 else (values[0] if values else None)
            else:
                raw = data.get(name) if isinstance(data, dict) else None
            try:
                value = spec.parse(self, raw)
                if spec.is_empty(value):
                    if spec.required:
                        raise FormError("required")
                    value = spec.default if spec.default is not None else value
                elif spec.check:
                    value = getattr(self, spec.check)(value)
            except FormError as e:
                if e.code == "required" and spec.error:
                    errors[name] = spec.error(self.env)
                else:
                    errors[name] = self._woonkans_form_message(e)
                value = spec.default
            except (ValueError, TypeError, OverflowError):
                errors[name] = self._woonkans_form_message(FormError("invalid"))
                value = spec.default
            except Exception as e:  # noqa: BLE001 - a check raises ValidationError/UserError
                from odoo.exceptions import UserError, ValidationError  # noqa: PLC0415

                if not isinstance(e, (UserError, ValidationError)):
                    raise
                errors[name] = e.args[0]
                value = spec.default
            clean[name] = value
        return clean, errors

    @api.model
    def _woonkans_form_echo(self, form_name, data):
        """What to show back in the form after an error: declared fields as safe text."""
        echo = {}
        specs = self._woonkans_forms()[form_name]
        for name, spec in specs.items():
            raw = data.get(name) if isinstance(data, Mapping) else None
            try:
                echo[name] = coerce_text(raw, max_length=max(spec.max_length or 0, 64) * 2, multiline=True)
            except FormError:
                echo[name] = ""
        return echo
