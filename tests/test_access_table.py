"""The README's security table, checked cell by cell over JSON-RPC.

The table between the ``access-table`` markers in README.md is the contract
of who reaches what. This test parses it and, for every row and every role,
logs in as the demo users of that role and compares what the server allows
with what the cell says:

- **R**: the records the user finds are exactly the cell's scope, computed
  here independently of the record rules (as the administrator, from the
  cases' own fields: caseworker and team, party lines, consent, assignment);
- **W**, **D**: ``has_access`` on the records in scope answers yes, and on a
  record outside it no;
- **C**: ``has_access('create')`` answers as the cell says.

Anonymous visitors must get nothing from any call.
"""

import re
from pathlib import Path

import pytest
from conftest import RpcError

pytestmark = pytest.mark.e2e

README = Path(__file__).resolve().parent.parent / "README.md"
ROLES = {
    "Anonymous": None,
    "Partner (portal)": "portal",
    "Caseworker": "caseworker",
    "Coordinator": "coordinator",
    "Administrator": "admin",
}
SCOPES = ("own org, shared lines", "own org", "own referrals", "assigned", "team", "all")
# The records a row is about, where the model holds more than our data.
ROW_DOMAIN = {
    "res.partner": [["woonkans_is_client", "=", True]],
    "project.task": [["woonkans_case_id", "!=", False]],
}
# How a row's records reach their case.
CASE_PATH = {"woonkans.case": "", "project.task": "woonkans_case_id."}
# Rows whose records carry their own caseworker and team, as a case does.
OWN_TEAM = {"woonkans.case", "woonkans.referral"}


def parse_table(text: str) -> list[dict]:
    block = text.split("<!-- access-table:start -->", 1)[1].split("<!-- access-table:end -->", 1)[0]
    lines = [line.strip() for line in block.strip().splitlines() if line.strip().startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        model = re.search(r"`([\w.]+)`", cells[0]).group(1)
        rows.append({"label": cells[0], "model": model, "cells": dict(zip(header[1:], cells[1:], strict=True))})
    return rows


def parse_cell(cell: str) -> tuple[set, str | None]:
    if cell in ("—", "-", ""):
        return set(), None
    ops, _, scope = cell.partition(" ")
    assert set(ops) <= set("RWCD") and scope in SCOPES, f"cannot read the README cell {cell!r}"
    return set(ops), scope


def test_readme_table_parses():
    rows = parse_table(README.read_text())
    assert len(rows) >= 10
    for row in rows:
        assert set(row["cells"]) == set(ROLES), row["label"]
        for cell in row["cells"].values():
            parse_cell(cell)


class Scope:
    """The records of a row a user may reach, computed by the administrator."""

    def __init__(self, admin, model):
        self.admin, self.model = admin, model
        self.base = ROW_DOMAIN.get(model, [])

    def _case_domain(self, case_domain):
        """Turn a domain on cases into one on this row's model."""
        cases = self.admin.call("woonkans.case", "search", case_domain, context={"active_test": False})
        if self.model == "res.partner":
            clients = self.admin.call("woonkans.case", "read", cases, ["client_id"], context={"active_test": False})
            return [["id", "in", sorted({c["client_id"][0] for c in clients if c["client_id"]})]]
        if self.model == "woonkans.household.child":
            clients = self.admin.call("woonkans.case", "read", cases, ["client_id"], context={"active_test": False})
            return [["partner_id", "in", sorted({c["client_id"][0] for c in clients if c["client_id"]})]]
        path = CASE_PATH.get(self.model, "case_id.")
        return [[f"{path}id" if path else "id", "in", cases]]

    def ids(self, scope, user):
        if scope is None:
            return set()
        domain = list(self.base)
        own_org = [
            ["consent_ids", "any", [["partner_id", "=", user["org_id"]], ["state", "=", "active"]]],
            [
                "party_ids",
                "any",
                [["partner_id", "=", user["org_id"]], ["is_current", "=", True], ["share_on_portal", "=", True]],
            ],
        ]
        if scope == "team":
            uid = user["uid"]
            team = ["|", "|", ["user_id", "=", uid], ["team_id.member_ids", "in", uid], ["team_id.leader_id", "=", uid]]
            domain += team if self.model in OWN_TEAM else self._case_domain(team)
        elif scope == "own referrals":
            domain += [["referrer_id", "=", user["org_id"]]]
        elif scope == "own org":
            domain += self._case_domain(own_org)
        elif scope == "own org, shared lines":
            domain += self._case_domain(own_org) + [["is_current", "=", True], ["share_on_portal", "=", True]]
        elif scope == "assigned":
            field = "woonkans_partner_id" if self.model == "project.task" else "responsible_partner_id"
            domain += self._case_domain(own_org) + [[field, "=", user["org_id"]]]
        return set(self.admin.call(self.model, "search", domain, context={"active_test": False}))


@pytest.fixture(scope="module")
def people(session_factory, demo_logins):
    admin_login = next(u for u in demo_logins if u["role"] == "admin")
    admin = session_factory(admin_login["login"], admin_login["password"])
    people = {}
    for role_label, role in ROLES.items():
        people[role_label] = []
        for u in demo_logins:
            if u["role"] != role:
                continue
            session = session_factory(u["login"], u["password"])
            partner = admin.call("res.users", "read", [session.uid], ["partner_id"], context={"active_test": False})[0][
                "partner_id"
            ][0]
            org = admin.call("res.partner", "read", [partner], ["commercial_partner_id"])[0]["commercial_partner_id"][0]
            people[role_label].append({"login": u["login"], "uid": session.uid, "org_id": org, "session": session})
        if role is None:
            people[role_label].append({"login": "anonymous", "uid": None, "org_id": None, "session": session_factory()})
    assert all(people.values()), f"tools/demo_logins.txt lacks a login for a role of the README table: {people}"
    return admin, people


def _search(session, model, domain):
    try:
        return set(session.call(model, "search", domain, context={"active_test": False}))
    except RpcError as e:
        assert e.name in ("odoo.exceptions.AccessError", "odoo.http.SessionExpiredException"), e
        return set()


def _has_access(session, model, ids, operation):
    try:
        return bool(session.call(model, "has_access", ids, operation))
    except RpcError as e:
        assert e.name in ("odoo.exceptions.AccessError", "odoo.http.SessionExpiredException"), e
        return False


@pytest.mark.parametrize("row", parse_table(README.read_text()), ids=lambda r: r["model"])
def test_access_table_row(row, people):
    admin, people = people
    scope_of = Scope(admin, row["model"])
    everything = set(admin.call(row["model"], "search", scope_of.base, context={"active_test": False}))
    assert everything, f"the demo data has no {row['label']}: add some so that this row proves something"
    checked = 0
    for role_label, cell in row["cells"].items():
        ops, scope = parse_cell(cell)
        for user in people[role_label]:
            where = f"{row['label']} as {user['login']} ({role_label}: {cell!r})"
            session = user["session"]
            expected = scope_of.ids(scope, user) if "R" in ops else set()
            found = _search(session, row["model"], scope_of.base)
            assert found == expected, (
                f"{where}: reads {len(found)} records, the table says {len(expected)}; "
                f"extra {sorted(found - expected)[:10]}, missing {sorted(expected - found)[:10]}"
            )
            outside = sorted(everything - expected)[:3]
            for letter, operation in (("W", "write"), ("D", "unlink")):
                if expected:
                    assert _has_access(session, row["model"], sorted(expected)[:20], operation) == (letter in ops), (
                        f"{where}: {operation} on records in scope"
                    )
                for rid in outside:
                    assert not _has_access(session, row["model"], [rid], operation), (
                        f"{where}: {operation} on record {rid} outside the scope"
                    )
            assert _has_access(session, row["model"], [], "create") == ("C" in ops), f"{where}: create"
            checked += 1
    print(f"{row['model']}: {checked} role checks")  # noqa: T201
