"""A portal user of one partner organisation must not see the other's cases."""

import pytest
from conftest import RpcError

pytestmark = pytest.mark.e2e

# The demo users listed in tools/demo_logins.txt with role "portal"
# (`corporatie` and `wijteam`) are contacts of two different partner
# organisations. An organisation takes part in a case through its party lines
# (woonkans.case.party); it may see the case on the portal while its line is
# current, shared on the portal, and the client consented to sharing.


def _org_cases(admin, org_id: int, visible_only: bool = False) -> list[int]:
    party = [["partner_id", "child_of", org_id]]
    if visible_only:
        party += [["is_current", "=", True], ["share_on_portal", "=", True]]
    domain = [["party_ids", "any", party]]
    if visible_only:
        domain.append(["consent_ids", "any", [["partner_id", "=", org_id], ["state", "=", "active"]]])
    return admin.call("woonkans.case", "search", domain)


def test_portal_users_cannot_read_other_organisation_cases(session_factory, demo_logins):
    admin_login = next(u for u in demo_logins if u["role"] == "admin")
    portal = [u for u in demo_logins if u["role"] == "portal"]
    assert len(portal) >= 2, "tools/demo_logins.txt must list two portal users of different organisations"
    admin = session_factory(admin_login["login"], admin_login["password"])

    users = {}
    for u in portal[:2]:
        found = admin.call(
            "res.users",
            "search_read",
            [["login", "=", u["login"]]],
            fields=["partner_id"],
            context={"active_test": False},
        )
        assert found, (
            f"demo user {u['login']!r} is missing from the demo data "
            "(see tools/demo_logins.txt and the add-ons' demo/ files)"
        )
        partner = admin.call("res.partner", "read", [found[0]["partner_id"][0]], ["commercial_partner_id"])[0]
        users[u["login"]] = {**u, "org_id": partner["commercial_partner_id"][0]}

    a, b = users.values()
    assert a["org_id"] != b["org_id"], f"demo users {a['login']!r} and {b['login']!r} belong to the same organisation"

    for me, other in ((a, b), (b, a)):
        other_cases = _org_cases(admin, other["org_id"])
        assert other_cases, (
            f"the demo data has no woonkans.case of {other['login']!r}'s organisation: "
            "add one so that this isolation test proves something"
        )
        mine = _org_cases(admin, me["org_id"])
        foreign = sorted(set(other_cases) - set(mine))
        assert foreign, f"every case of {other['login']!r}'s organisation is shared with {me['login']!r}'s"

        s = session_factory(me["login"], me["password"])
        try:
            visible = s.call("woonkans.case", "search", [["id", "in", foreign]])
        except RpcError as e:
            assert "AccessError" in e.name, e
            visible = []
        assert visible == [], f"{me['login']!r} can see cases {visible} of {other['login']!r}'s organisation"
        with pytest.raises(RpcError) as err:
            s.call("woonkans.case", "read", foreign[:1], ["display_name"])
        assert "AccessError" in err.value.name or "MissingError" in err.value.name, err.value
        own = _org_cases(admin, me["org_id"], visible_only=True)
        assert own, f"the demo data should give {me['login']!r} at least one case to follow"
        assert sorted(s.call("woonkans.case", "search", [])) == sorted(own), (
            f"{me['login']!r} must see exactly the consented cases its organisation is a current party to"
        )
