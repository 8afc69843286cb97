"""Reading an add-on's declared access matrix (``security/access_matrix.csv``).

Plain Python, no Odoo import: the test engine (``access_matrix.py``) and
``tools/gen_readme.py`` (which writes the README's security table from the
matrix files) read the files through this one module.

One line per model: which records of it the line is about, and for each role
a cell naming the operations the role may do and on which records (the
scope). A cell is ``-`` (nothing at all) or ``OPS SCOPE``:

- ``OPS``: letters of ``RWCD`` (read, write, create, delete), in that order;
- ``SCOPE``: one or more terms joined by ``+`` (their union); a term is a
  scope name from ``SCOPES``, optionally ``@path``: the dotted field path from
  the line's record to the record the scope is defined on (``team@case_id``:
  records whose case is a team case).

Example: ``RWC team@case_id``, ``R own@run_id+org_sent@run_id``.
"""

import ast
import csv
from pathlib import Path

ROLES = (
    "public",
    "portal",
    "caseworker",
    "team_leader",
    "coordinator",
    "administrator",
    "special_category",
    "privacy_officer",
)
OPS = "RWCD"
OPERATIONS = {"R": "read", "W": "write", "C": "create", "D": "unlink"}
COLUMNS = ("model", "records", "readme", "probe", *ROLES, "note")

# Scope name: (what it means, its words in the README security table or None).
# Each is computed by the test engine from the records' own fields, as the
# administrator, independently of the record rules it checks.
SCOPES = {
    "all": ("every record of the line", "all"),
    "own": ("records the user created (create_uid)", "own"),
    "team": ("records whose caseworker is the user or whose team the user is a member or the leader of", "team"),
    "org": (
        "cases to which the user's organisation is a current party on a line shared on the portal, "
        "while an active consent record names the organisation",
        "own org",
    ),
    "org_lines": (
        "of the org cases, the party lines that are current and shared on the portal",
        "own org, shared lines",
    ),
    "assigned": (
        "of the org cases' records, those assigned to the user's organisation, when its consent covers "
        "them (conditions; the plan)",
        "assigned",
    ),
    "org_sent": ("records the user's organisation sent (referrer or organisation)", "own referrals"),
    "registered": ("clients without a case yet whom the user registered", None),
    "not_special": ("records not marked as special-category data", "not special-category"),
}


class MatrixError(ValueError):
    """A line or cell of an access matrix file that cannot be read."""


class Term:
    __slots__ = ("name", "path")

    def __init__(self, name, path=""):
        self.name, self.path = name, path

    def __repr__(self):
        return f"{self.name}@{self.path}" if self.path else self.name


class Cell:
    """What one role may do on one line's records."""

    __slots__ = ("ops", "terms", "text")

    def __init__(self, text):
        self.text = text = " ".join(text.split())
        if text in ("-", "—"):
            self.ops, self.terms = "", ()
            return
        ops, _, scope = text.partition(" ")
        if not ops or any(op not in OPS for op in ops) or ops != "".join(op for op in OPS if op in ops):
            raise MatrixError(f"operations {ops!r} are not letters of {OPS} in that order")
        if "R" not in ops:
            raise MatrixError(f"{text!r}: a role that writes, creates or deletes records also reads them")
        if not scope:
            raise MatrixError(f"{text!r} names no scope")
        terms = []
        for part in scope.split("+"):
            name, _, path = part.strip().partition("@")
            if name not in SCOPES:
                raise MatrixError(f"unknown scope {name!r} in {text!r}; known: {', '.join(SCOPES)}")
            terms.append(Term(name, path))
        self.ops, self.terms = ops, tuple(terms)

    def __repr__(self):
        return self.text

    @property
    def readme(self):
        """The cell in the words of the README table."""
        if not self.ops:
            return "—"
        labels = []
        for term in self.terms:
            label = SCOPES[term.name][1]
            if label and label not in labels:
                labels.append(label)
        return f"{self.ops} {', '.join(labels)}"


class Line:
    """One model (or part of it, see ``records``) and what every role may do on it."""

    def __init__(self, row, where):
        self.where = where
        self.model = row["model"].strip()
        self.readme = row["readme"].strip()
        self.probe = row["probe"].strip()
        self.note = row["note"].strip()
        try:
            self.records = ast.literal_eval(row["records"]) if row["records"].strip() else []
        except (ValueError, SyntaxError) as e:
            raise MatrixError(f"{where}: records {row['records']!r} is not a domain: {e}") from e
        if not isinstance(self.records, list):
            raise MatrixError(f"{where}: records must be a domain (a list)")
        self.cells = {}
        for role in ROLES:
            try:
                self.cells[role] = Cell(row[role] or "")
            except MatrixError as e:
                raise MatrixError(f"{where}: {self.model}, {role}: {e}") from e

    def __repr__(self):
        return f"<Line {self.model} {self.where}>"


def read_matrix(path):
    """The lines of one matrix file, checked for form (not yet against the database)."""
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise MatrixError(f"{path}: the columns must be {','.join(COLUMNS)}, not {reader.fieldnames}")
        lines = []
        for number, row in enumerate(reader, start=2):
            if None in row or any(value is None for value in row.values()):
                raise MatrixError(f"{path}:{number}: wrong number of columns")
            lines.append(Line(row, f"{path.name}:{number}"))
    seen = set()
    for line in lines:
        key = (line.model, repr(line.records))
        if key in seen:
            raise MatrixError(f"{line.where}: {line.model} is declared twice")
        seen.add(key)
    return lines
