"""Shared formats and table writing for the Woonkans Excel reports."""

import datetime

from xlsxwriter.format import Format

from odoo import fields

QUOTE_PREFIX_SUPPORTED = hasattr(Format, "set_quote_prefix")


def excel_date_format(env):
    """The user's date format (res.lang) in Excel notation."""
    lang = env["res.lang"]._get_data(code=env.user.lang or "en_US")
    pattern = (lang.date_format if lang else "") or "%m/%d/%Y"
    for python, excel in (("%d", "dd"), ("%m", "mm"), ("%Y", "yyyy"), ("%y", "yy"), ("%b", "mmm"), ("%B", "mmmm")):
        pattern = pattern.replace(python, excel)
    return pattern


class XlsxStyles:
    """The formats one workbook uses; create once per workbook."""

    def __init__(self, workbook, env):
        self.workbook = workbook
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.label = workbook.add_format({"bold": True})
        self.header = workbook.add_format(
            {"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True, "valign": "top"}
        )
        self.text = workbook.add_format({"valign": "top"})
        self.date = workbook.add_format({"num_format": excel_date_format(env), "valign": "top"})
        self.integer = workbook.add_format({"num_format": "0", "valign": "top"})
        self.decimal = workbook.add_format({"num_format": "0.0", "valign": "top"})
        self.amount = workbook.add_format({"num_format": "#,##0.00", "valign": "top"})
        self.percent = workbook.add_format({"num_format": "0.0%", "valign": "top"})
        self.total_label = workbook.add_format({"bold": True, "top": 1})
        self.total_integer = workbook.add_format({"bold": True, "top": 1, "num_format": "0"})
        self.total_decimal = workbook.add_format({"bold": True, "top": 1, "num_format": "0.0"})
        self.total_percent = workbook.add_format({"bold": True, "top": 1, "num_format": "0.0%"})
        self.warning = workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE", "num_format": "0.0%"})
        # Excel's quote prefix keeps a text cell text when it is edited or saved as CSV;
        # xlsxwriter has it from 3.0.4 on (older ones still write the cell as text)
        quoted = {"valign": "top"}
        if QUOTE_PREFIX_SUPPORTED:
            quoted["quote_prefix"] = True
        self.quoted_text = workbook.add_format(quoted)


# A cell starting with one of these is a formula to Excel or LibreOffice once the
# text is edited or saved as CSV (OWASP "CSV injection"; Primero's CsvSanitizerService).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def is_formula_like(text):
    return bool(text) and text.lstrip(" ")[:1] in FORMULA_TRIGGERS


def write_text(sheet, row, col, text, fmt, styles):
    """Write user input as a text cell; text that looks like a formula gets Excel's
    quote prefix, so editing or re-saving the cell keeps it text."""
    text = str(text)
    if is_formula_like(text):
        fmt = styles.quoted_text
    sheet.write_string(row, col, text, fmt)


def write_cell(sheet, row, col, value, fmt, styles):
    if value is None or value is False:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, fmt)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, fmt)
    else:
        write_text(sheet, row, col, value, fmt, styles)


def write_table(sheet, styles, first_row, columns, rows, totals=None):
    """Write a header row and data rows; freeze the header and add an autofilter.

    ``columns`` is a list of (header, width, kind) with kind one of text, date,
    integer, decimal, amount, percent. Returns the next free row.
    """
    formats = {
        "text": styles.text,
        "date": styles.date,
        "integer": styles.integer,
        "decimal": styles.decimal,
        "amount": styles.amount,
        "percent": styles.percent,
    }
    total_formats = {
        "integer": styles.total_integer,
        "decimal": styles.total_decimal,
        "percent": styles.total_percent,
    }
    for col, (header, width, _kind) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(first_row, col, header, styles.header)
    row = first_row
    for values in rows:
        row += 1
        for col, value in enumerate(values):
            write_cell(sheet, row, col, value, formats[columns[col][2]], styles)
    sheet.freeze_panes(first_row + 1, 1)
    sheet.autofilter(first_row, 0, max(row, first_row), len(columns) - 1)
    if totals is not None:
        row += 1
        for col, value in enumerate(totals):
            fmt = styles.total_label if col == 0 else total_formats.get(columns[col][2], styles.total_label)
            write_cell(sheet, row, col, value, fmt, styles)
    return row + 1


def selection_labels(model, field_name):
    return dict(model._fields[field_name]._description_selection(model.env))


def today(env):
    return fields.Date.context_today(env.user)
