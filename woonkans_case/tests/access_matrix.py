"""The declared access matrix of an add-on, checked over JSON-RPC as every role.

Each add-on ships ``security/access_matrix.csv`` (its format: ``access_matrix_file``):
for every model it defines, and for the records of core models it owns, what
each of the eight roles may read, write, create and delete, and on which
records (the scope). This module is the engine; each add-on's
``tests/test_access_matrix.py`` is a thin class that names its add-on and
adds the fixture records its scopes need.

For every line, role and login of the role, over ``/web/dataset/call_kw`` as
that login (anonymous: a session without a user):

- **read**: ``search`` over the line's records finds exactly the scope,
  computed here as the superuser from the records' own fields (caseworker,
  teams, party lines, consent, assignment, creator), not from the record rules
  it checks; ``read`` of a record in the scope works, of one outside it fails;
- **write**: a real ``write`` (of the probe field's own value) on a record in
  the scope and on one outside it;
- **create**: a real ``create`` with the values of a record in the scope and
  of one outside it (``copy_data``); what the role may create must lie in its
  scope;
- **delete**: a real ``unlink`` of a record in the scope and of one outside.

Each write, create and delete runs in a savepoint that is rolled back at
once, so the checks do not change each other's data. Where a real call fails
for another reason than access (a constraint, a published tree version that
is frozen, a record still in use), the check asks ``has_access`` over RPC
instead, for that record (create: for the model), and counts it in the log.

Every scope must have records in it and outside it (``all``, and a ``-``
cell: records at all), or its check would prove nothing: the test asserts
that. A model of the add-on without a line fails the suite.
"""

import base64
import json
import logging
from collections import Counter
from contextlib import closing
from datetime import date, datetime

from odoo import fields
from odoo.fields import Domain
from odoo.tests import new_test_user
from odoo.tools import file_path, mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .access_matrix_file import ROLES, SCOPES, read_matrix

_logger = logging.getLogger(__name__)

DENIED = ("odoo.exceptions.AccessError", "odoo.http.SessionExpiredException")
PLAIN_TYPES = ("char", "text", "integer", "float", "monetary", "boolean", "selection", "date", "datetime", "html")
MAGIC_FIELDS = ("id", "create_uid", "create_date", "write_uid", "write_date")
USER = "woonkans_case.group_woonkans_user"
COORDINATOR = "woonkans_case.group_woonkans_coordinator"
SPECIAL = "woonkans_case.group_woonkans_special_category"
MANAGER = "woonkans_case.group_woonkans_manager"
PRIVACY = "woonkans_case.group_woonkans_privacy_officer"


class AccessMatrixMixin:
    """Checks one add-on's ``security/access_matrix.csv``; mix into an ``HttpCase``.

    Subclasses set ``matrix_addon`` and may extend ``_matrix_fixture`` (records
    that give each scope an inside and an outside) and ``_matrix_values``
    (values for a wizard the generic filler cannot make).
    """

    matrix_addon = None
    # the test methods live here, in the mixin: Odoo's loader collects inherited ones on request
    allow_inherited_tests_method = True

    # ------------------------------------------------------------------
    # set-up: the logins of each role, the fixture, a wizard per login
    # ------------------------------------------------------------------

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT, active_test=False))
        cls.lines = read_matrix(file_path(f"{cls.matrix_addon}/security/access_matrix.csv"))
        cls.counts, cls.fallbacks = Counter(), Counter()
        cls.demo = bool(cls.env.ref("woonkans_case.res_users_medewerker2_demo", raise_if_not_found=False))
        if cls.demo:
            cls.role_users = cls._matrix_users()
            cls._matrix_fixture()
            cls._matrix_wizards()
            cls.env.flush_all()

    @classmethod
    def tearDownClass(cls):
        if cls.demo:
            _logger.info(
                "access matrix of %s: %s cases over %s models and %s roles (%s logins): %s",
                cls.matrix_addon,
                sum(cls.counts.values()),
                len({line.model for line in cls.lines}),
                len(ROLES),
                sum(len(users) for users in cls.role_users.values()),
                ", ".join(f"{op} {n}" for op, n in sorted(cls.counts.items())),
            )
            if cls.fallbacks:
                _logger.info(
                    "access matrix of %s: %s of them through has_access: %s",
                    cls.matrix_addon,
                    sum(cls.fallbacks.values()),
                    "; ".join(f"{what} x{n}" for what, n in sorted(cls.fallbacks.items())),
                )
        super().tearDownClass()

    @classmethod
    def _matrix_users(cls):
        """role -> the users that play it: the demo logins, and test users where the demo has none."""
        ref = cls.env.ref
        leader = new_test_user(cls.env, login="wk_matrix_leader", groups=USER, name="Lea Leider")
        # a caseworker who leads Team Twente without being a member of it
        ref("woonkans_case.woonkans_team_twente_demo").leader_id = leader
        privacy = new_test_user(cls.env, login="wk_matrix_privacy", groups=PRIVACY, name="Pim Privacy")
        users = {
            "public": [None],
            "portal": [
                ref("woonkans_case.res_users_portal_corporatie_demo"),
                ref("woonkans_case.res_users_portal_wijteam_demo"),
            ],
            "caseworker": [ref("woonkans_case.res_users_medewerker2_demo")],
            "team_leader": [leader],
            "coordinator": [ref("woonkans_case.res_users_coordinator_demo")],
            "administrator": [ref("base.user_admin")],
            "special_category": [ref("woonkans_case.res_users_medewerker_demo")],
            "privacy_officer": [privacy],
        }
        Team = cls.env["woonkans.team"]
        plays = {
            "portal": lambda u: u.share,
            "caseworker": lambda u: u.has_group(USER) and not u.has_group(COORDINATOR) and not u.has_group(SPECIAL),
            "team_leader": lambda u: not u.has_group(COORDINATOR)
            and Team.search_count([("leader_id", "=", u.id), ("member_ids", "not in", u.id)]),
            "coordinator": lambda u: u.has_group(COORDINATOR) and not u.has_group(MANAGER),
            "administrator": lambda u: u.has_group(MANAGER),
            "special_category": lambda u: u.has_group(SPECIAL) and not u.has_group(COORDINATOR),
            "privacy_officer": lambda u: u.has_group(PRIVACY) and not u.has_group(USER),
        }
        for role, check in plays.items():
            for user in users[role]:
                assert check(user), f"{user.login} no longer plays the role {role}: fix the demo data or this test"
        return users

    @classmethod
    def _matrix_fixture(cls):
        """Records that give the scopes an inside and an outside (extend it, calling super)."""

    @classmethod
    def _matrix_values(cls, model, user):
        """Values for a wizard of ``model`` made by ``user``: its defaults and a value per required field."""
        Model = cls.env[model].with_user(user)
        values = Model.default_get(list(Model._fields))
        for name, field in Model._fields.items():
            if not field.required or values.get(name) or (field.compute and not field.store):
                continue
            if field.type == "many2one":
                domain = field.domain if isinstance(field.domain, list) else []
                values[name] = cls.env[field.comodel_name].with_user(user).search(domain, limit=1).id
            elif field.type in ("char", "text", "html"):
                values[name] = "Matrix"
            elif field.type == "selection":
                values[name] = field._description_selection(cls.env)[0][0]
            elif field.type in ("date", "datetime"):
                values[name] = fields.Datetime.now() if field.type == "datetime" else fields.Date.today()
            elif field.type in ("integer", "float", "monetary", "boolean"):
                values[name] = 1
            elif field.type == "binary":
                values[name] = base64.b64encode(b"{}")
        return values

    @classmethod
    def _matrix_wizards(cls):
        """A record of each wizard (transient model) by every login that may create one."""
        for line in cls.lines:
            if not cls.env[line.model]._transient:
                continue
            for role in ROLES:
                for user in cls.role_users[role] if "C" in line.cells[role].ops else ():
                    try:
                        with cls.env.cr.savepoint():
                            cls.env[line.model].with_user(user).create(cls._matrix_values(line.model, user))
                    except Exception as e:
                        raise AssertionError(
                            f"{line.where}: cannot make a {line.model} as {user.login} ({e}): "
                            "give its values in _matrix_values of the add-on's test"
                        ) from e

    # ------------------------------------------------------------------
    # scopes: computed as the superuser from the records' own fields,
    # one method each, named after the scope (see access_matrix_file.SCOPES)
    # ------------------------------------------------------------------

    def _org(self, user):
        return user.partner_id.commercial_partner_id

    def _org_cases(self, user, category="basics"):
        """The cases a portal user's organisation follows, from the party lines and consent records
        themselves: a current line shared on the portal, and an active consent naming the
        organisation that covers ``category``."""
        org = self._org(user)
        lines = self.env["woonkans.case.party"].search([("partner_id", "=", org.id)])
        return lines.filtered(lambda p: p.is_current and p.share_on_portal).case_id.filtered(
            lambda case: case.consent_ids.filtered(
                lambda c: c.partner_id == org and c.state == "active" and category in c.category_ids.mapped("code")
            )
        )

    def _field_of(self, model, *names):
        """The one of ``names`` the model has."""
        found = [name for name in names if name in self.env[model]._fields]
        assert len(found) == 1, f"{model} must have one of the fields {names} for this scope (a path?)"
        return found[0]

    def _scope_all(self, model, user):
        return Domain.TRUE

    def _scope_own(self, model, user):
        return Domain("create_uid", "=", user.id)

    def _scope_team(self, model, user):
        teams = self.env["woonkans.team"].search([]).filtered(lambda t: user in t.member_ids or t.leader_id == user)
        return Domain("user_id", "=", user.id) | Domain("team_id", "in", teams.ids)

    def _scope_org(self, model, user):
        assert model == "woonkans.case", f"scope org is defined on cases, not on {model}: give a path"
        return Domain("id", "in", self._org_cases(user).ids)

    def _scope_org_lines(self, model, user):
        assert model == "woonkans.case.party", f"scope org_lines is defined on party lines, not on {model}"
        lines = self._org_cases(user).party_ids.filtered(lambda p: p.is_current and p.share_on_portal)
        return Domain("id", "in", lines.ids)

    def _scope_assigned(self, model, user):
        case = self._field_of(model, "case_id", "woonkans_case_id")
        assignee = self._field_of(model, "responsible_partner_id", "woonkans_partner_id")
        # what is assigned needs the consent to cover it: conditions, or the plan's tasks
        category = "plan" if model == "project.task" else "conditions"
        return Domain(case, "in", self._org_cases(user, category).ids) & Domain(assignee, "=", self._org(user).id)

    def _scope_org_sent(self, model, user):
        return Domain(self._field_of(model, "referrer_id", "organisation_id"), "=", self._org(user).id)

    def _scope_registered(self, model, user):
        return Domain("woonkans_case_ids", "=", False) & Domain("create_uid", "=", user.id)

    def _scope_not_special(self, model, user):
        return Domain("is_special_category", "=", False)

    def _scope_ids(self, line, cell, user):
        """The ids of the line's records in the cell's scope for ``user`` (None: anonymous)."""
        if not cell.ops or user is None:
            return set()
        domain = Domain.FALSE
        for term in cell.terms:
            assert term.name in SCOPES
            if term.path:
                target = self._path_model(line.model, term.path)
                ids = self.env[target].search(getattr(self, f"_scope_{term.name}")(target, user)).ids
                domain |= Domain(term.path, "in", ids)
            else:
                domain |= getattr(self, f"_scope_{term.name}")(line.model, user)
        return set(self.env[line.model].search(Domain(line.records) & domain).ids)

    def _path_model(self, model, path):
        for name in path.split("."):
            field = self.env[model]._fields.get(name)
            assert field and field.relational, f"{path} is not a path of relational fields"
            model = field.comodel_name
        return model

    # ------------------------------------------------------------------
    # JSON-RPC as the logged-in user
    # ------------------------------------------------------------------

    def _call(self, model, method, *args, **kwargs):
        """(result, error name, error message) of one call over /web/dataset/call_kw."""
        kwargs.setdefault("context", {"active_test": False})
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 0,
            "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        }
        response = self.opener.post(
            f"{self.base_url()}/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(payload, default=_json_default),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            return None, data.get("name") or body["error"].get("message"), data.get("message") or ""
        return body.get("result"), None, None

    # ------------------------------------------------------------------
    # the checks
    # ------------------------------------------------------------------

    def _check_role(self, role):
        if not self.demo:
            self.skipTest("the access matrix is checked on the demo data")
        with mute_logger("odoo.http", "odoo.sql_db"):
            for user in self.role_users[role]:
                if user is None:
                    self.authenticate(None, None)
                else:
                    self.authenticate(user.login, user.login)
                for line in self.lines:
                    with self.subTest(model=line.model, role=role, login=user.login if user else "anonymous"):
                        self._check_line(line, line.cells[role], role, user)

    def _check_line(self, line, cell, role, user):
        where = f"{line.where} {line.model} as {user.login if user else 'anonymous'} ({role}: {cell})"
        self.env.invalidate_all()
        everything = set(self.env[line.model].search(Domain(line.records)).ids)
        self.assertTrue(everything, f"{where}: there are no such records: add some to the fixture")
        inside = self._scope_ids(line, cell, user)
        outside = everything - inside
        if cell.ops and any(term.name != "all" for term in cell.terms):
            self.assertTrue(inside, f"{where}: no record is in the scope: the fixture must put some in it")
            self.assertTrue(outside, f"{where}: every record is in the scope: the fixture must put some outside")
        # the newest record in the scope (or of all, for a role that reaches none) and outside it:
        # the fixture's, where it made some
        records = [(max(inside or everything), True)] + ([(max(outside), False)] if outside else [])
        self._check_search(where, line, cell, inside)
        for record_id, in_scope in records:
            suffix = "" if in_scope else " outside"
            allowed = lambda op, in_scope=in_scope: in_scope and op in cell.ops  # noqa: E731
            self._expect(where, f"read{suffix}", allowed("R"), line.model, "read", [record_id], ["display_name"])
            self._check_write(where, f"write{suffix}", allowed("W"), line, user, record_id)
            self._check_create(where, f"create{suffix}", line, cell, user, record_id, in_scope)
            self._expect_rolled_back(where, f"unlink{suffix}", allowed("D"), line.model, "unlink", record_id)

    def _check_search(self, where, line, cell, inside):
        found, error, message = self._call(line.model, "search", line.records)
        self.counts["search"] += 1
        if "R" in cell.ops:
            self.assertFalse(error, f"{where}: search refused: {error}: {message}")
            self.assertEqual(
                set(found),
                inside,
                f"{where}: finds {len(found)} records, the matrix says {len(inside)}; "
                f"extra {sorted(set(found) - inside)[:10]}, missing {sorted(inside - set(found))[:10]}",
            )
        else:
            self.assertTrue(error in DENIED or not found, f"{where}: finds {found} ({error}: {message})")

    def _expect(self, where, label, allowed, model, method, *args):
        _result, error, message = self._call(model, method, *args)
        self.counts[label.split()[0]] += 1
        if allowed:
            self.assertFalse(error, f"{where}: {label} refused: {error}: {message}")
        else:
            self.assertIn(error, DENIED, f"{where}: {label} allowed ({error}: {message})")

    def _check_write(self, where, label, allowed, line, user, record_id):
        record = self.env[line.model].browse(record_id)
        probe = self._probe_field(line, user)
        values = {probe: record._fields[probe].convert_to_write(record[probe], record)} if probe else {}
        self._expect_rolled_back(where, label, allowed, line.model, "write", record_id, values)

    def _expect_rolled_back(self, where, label, allowed, model, method, record_id, *args):
        """A write or unlink in a savepoint rolled back at once; another refusal than access asks has_access."""
        with closing(self.env.cr.savepoint()):
            _result, error, message = self._call(model, method, [record_id], *args)
        self.counts[method] += 1
        if error and error not in DENIED:
            granted, error2, message2 = self._call(model, "has_access", [record_id], method)
            self.assertFalse(error2, f"{where}: has_access({method}) failed: {error2}: {message2}")
            self.fallbacks[f"{model} {method} ({error.rsplit('.', 1)[-1]})"] += 1
            self.assertEqual(bool(granted), allowed, f"{where}: {label}: has_access says {granted} ({message})")
        elif allowed:
            self.assertFalse(error, f"{where}: {label} refused: {error}: {message}")
        else:
            self.assertIn(error, DENIED, f"{where}: {label} allowed ({error}: {message})")

    def _check_create(self, where, label, line, cell, user, source_id, in_scope):
        """Create a copy of a record as the user: allowed only with C, and only inside the scope.

        A copy a constraint refuses (a unique name, one line per organisation and role) is
        tried once more with its source deleted first, in the same savepoint.
        """
        source = self.env[line.model].browse(source_id)
        values = self._create_values(source, user)
        created = False
        with closing(self.env.cr.savepoint()):
            new_id, error, message = self._call(line.model, "create", values)
            if error and error not in DENIED:
                with closing(self.env.cr.savepoint()):
                    try:
                        source.unlink()
                        self.env.flush_all()
                    except Exception as e:  # noqa: BLE001 - the source cannot go: the first answer stands
                        _logger.debug("access matrix: %s %s cannot be removed to make room: %s", line.model, source, e)
                    else:
                        new_id, error, message = self._call(line.model, "create", values)
                        self.env.invalidate_all()
                        created = bool(new_id) and new_id in self._scope_ids(line, cell, user)
            else:
                self.env.invalidate_all()
                created = bool(new_id) and new_id in self._scope_ids(line, cell, user)
        self.counts["create"] += 1
        if not error:
            self.assertIn("C", cell.ops, f"{where}: {label} allowed (record {new_id})")
            self.assertTrue(created, f"{where}: {label} made record {new_id}, outside the scope")
        elif error not in DENIED and in_scope:
            # still refused by a constraint: the model's access right decides
            granted, error2, message2 = self._call(line.model, "has_access", [], "create")
            self.assertFalse(error2, f"{where}: has_access(create) failed: {error2}: {message2}")
            self.fallbacks[f"{line.model} create ({error.rsplit('.', 1)[-1]})"] += 1
            self.assertEqual(bool(granted), "C" in cell.ops, f"{where}: {label}: has_access says {granted} ({message})")
        elif in_scope:
            self.assertNotIn("C", cell.ops, f"{where}: {label} refused: {error}: {message}")

    def _probe_field(self, line, user):
        """The field the write check writes (its own value): the line's probe, or the first plain one.

        For a portal user the fields its allow-list makes writable come first, then ``name``,
        then the model's fields in order: editable before read-only, relations last. None for a
        model of computed fields only: ``write({})`` still asks the access rights and rules.
        """
        Model = self.env[line.model]
        if line.probe:
            return line.probe
        protected = Model._woonkans_protected_fields() if hasattr(Model, "_woonkans_protected_fields") else ()
        names = ["name"] + [name for name in Model._fields if name not in protected]
        if user is not None and user.share and hasattr(Model, "_woonkans_portal_field_access"):
            names = sorted(Model._woonkans_portal_field_access()[1]) + names
        candidates = [
            Model._fields[name]
            for name in names
            if name in Model._fields and name not in MAGIC_FIELDS and name not in protected
        ]
        candidates = [f for f in candidates if f.store and not f.compute and not f.related and not f.groups]
        for types in (PLAIN_TYPES, ("many2one", "many2many")):
            for readonly in (False, True):
                for field in candidates:
                    if field.type in types and field.readonly == readonly:
                        return field.name
        return None

    def _create_values(self, record, user):
        """The values to create a copy of ``record`` as ``user``: ``copy_data``, without the fields it
        may not set (those of another group, those only the model's own buttons set)."""
        protected = record._woonkans_protected_fields() if hasattr(record, "_woonkans_protected_fields") else ()
        return {
            name: value
            for name, value in record.copy_data()[0].items()
            if name in record._fields
            and record._fields[name].type not in ("one2many", "properties")
            and name not in protected
            and not (record._fields[name].groups and (user is None or not user.has_groups(record._fields[name].groups)))
        }

    # ------------------------------------------------------------------
    # the tests: one per role, so that a failure names its role and each
    # role starts from the same data
    # ------------------------------------------------------------------

    def test_role_public(self):
        self._check_role("public")

    def test_role_portal(self):
        self._check_role("portal")

    def test_role_caseworker(self):
        self._check_role("caseworker")

    def test_role_team_leader(self):
        self._check_role("team_leader")

    def test_role_coordinator(self):
        self._check_role("coordinator")

    def test_role_administrator(self):
        self._check_role("administrator")

    def test_role_special_category(self):
        self._check_role("special_category")

    def test_role_privacy_officer(self):
        self._check_role("privacy_officer")

    def test_every_model_has_a_line(self):
        """Every model the add-on defines has a line (wizards and SQL views too, abstract models have
        no records); a line names only a model the add-on defines or extends."""
        addon = self.matrix_addon
        declared = {line.model for line in self.lines}
        defined = {
            name for name, model in self.env.registry.items() if model._original_module == addon and not model._abstract
        }
        self.assertTrue(defined, f"{addon} defines no model?")
        missing = sorted(defined - declared)
        self.assertFalse(missing, f"models of {addon} without a line in {addon}/security/access_matrix.csv: {missing}")
        for line in self.lines:
            self.assertIn(line.model, self.env.registry, f"{line.where}: no model {line.model}")
            modules = self.env["ir.model"]._get(line.model).modules.split(", ")
            self.assertIn(addon, modules, f"{line.where}: {addon} neither defines nor extends {line.model}")
            self.assertFalse(self.env[line.model]._abstract, f"{line.where}: {line.model} is abstract")


def _json_default(value):
    if isinstance(value, datetime):
        return fields.Datetime.to_string(value)
    if isinstance(value, date):
        return fields.Date.to_string(value)
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"cannot send {value!r} over JSON-RPC")
