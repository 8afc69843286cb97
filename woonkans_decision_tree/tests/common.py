from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests.common import TransactionCase, new_test_user


def years_ago(env, years, days=0):
    return (fields.Date.context_today(env["res.users"]) - relativedelta(years=years, days=days)).isoformat()


def default_walks(env):
    """Answers that reach every outcome of the default tree, with what to expect.

    Each entry: outcome code -> (answers, trajectory code or None, missing condition codes,
    a line the explanation must contain).
    """
    evicted = {
        "situation": "evicted",
        "ev_date": years_ago(env, 2),
        "ev_reason": "arrears",
        "ev_woningnet": "yes",
        "ev_debt": "yes",
        "ev_arrangement": "kept",
        "ev_guidance": "yes",
    }
    sitting = {"situation": "sitting", "st_problem": ["arrears"], "st_own_attempt": "yes", "st_court": "none"}
    vulnerable = {"situation": "vulnerable", "vu_domains": ["finances", "addiction"], "vu_guidance": "yes"}
    final = {"situation": "eviction_final", "af_network": "yes", "af_children": "no"}
    return {
        "out_second_chance": (
            dict(evicted, ev_care="no"),
            "second_chance",
            {"consent", "aid_org_assigned", "care_contract_signed"},
            "Evicted less than 5 years ago",
        ),
        "out_conditional_tenancy": (
            dict(evicted, ev_care="yes"),
            "conditional_tenancy",
            {"consent", "aid_org_assigned", "care_contract_signed", "support_plan"},
            "Intensive care needed → Yes",
        ),
        "out_ev_not_yet": (
            dict({k: v for k, v in evicted.items() if k != "ev_guidance"}, ev_arrangement="none", ev_woningnet="no"),
            "second_chance",
            {
                "consent",
                "woningnet_registered",
                "payment_arrangement",
                "guidance_accepted",
                "payment_kept_3m",
                "aid_org_assigned",
                "care_contract_signed",
            },
            "Payment arrangement → No arrangement yet",
        ),
        "out_ev_no_guidance": (dict(evicted, ev_guidance="no"), None, {"guidance_accepted"}, "Accepts guidance → No"),
        "out_ev_outside_window": (
            {"situation": "evicted", "ev_date": years_ago(env, 7)},
            None,
            {"ev_date/older"},
            "Evicted more than 5 years ago",
        ),
        "out_ev_other_reason": (
            {"situation": "evicted", "ev_date": years_ago(env, 1), "ev_reason": "other"},
            None,
            {"ev_reason/other"},
            "Reason for the eviction → Another reason (e.g. housing fraud or criminal activity)",
        ),
        "out_restart_own_home": (
            dict(sitting, st_stay="yes"),
            "restart_own_home",
            {
                "consent",
                "guidance_accepted",
                "payment_arrangement_landlord",
                "payment_kept_3m",
                "aid_org_assigned",
                "last_chance_signed",
            },
            "Can stay with help → Yes",
        ),
        "out_restart_last_chance": (
            dict(sitting, st_court="judgment", st_last_chance="yes"),
            "restart_own_home",
            {
                "consent",
                "guidance_accepted",
                "payment_arrangement_landlord",
                "payment_kept_3m",
                "aid_org_assigned",
                "last_chance_signed",
            },
            "Court → There is an eviction judgment",
        ),
        "out_rehousing": (
            dict(sitting, st_stay="no"),
            "rehousing_sitting_tenant",
            {
                "consent",
                "guidance_accepted",
                "payment_arrangement_landlord",
                "woningnet_registered",
                "aid_org_assigned",
            },
            "Can stay with help → No, the tenant has to move",
        ),
        "out_behavioural_injunction": (
            {"situation": "sitting", "st_problem": ["arrears", "nuisance"], "st_nuisance": "yes"},
            "behavioural_injunction",
            {"consent", "injunction_conditions", "guidance_accepted", "aid_org_assigned", "care_contract_signed"},
            "Problems → Nuisance, Rent arrears",
        ),
        "out_st_early_signal": (
            {"situation": "sitting", "st_problem": ["worrying"], "st_own_attempt": "no"},
            "early_signal",
            {"first_contact", "plan_of_action", "debt_help_assigned"},
            "Corporation tried first → No",
        ),
        "out_supported_living": (
            dict(vulnerable, vu_income="yes"),
            "supported_living",
            {"consent", "care_contract_signed"},
            "Life domains → Finances or debts, Addiction",
        ),
        "out_vu_care_first": (
            dict(vulnerable, vu_guidance="no"),
            None,
            {"guidance_accepted", "aid_org_assigned"},
            "Aid organisation guides → No, not yet",
        ),
        "out_vu_not_target": (
            {"situation": "vulnerable", "vu_domains": ["none"]},
            None,
            set(),
            "Life domains → None of these",
        ),
        "out_aftercare": (
            dict(final, af_alternative="yes"),
            "aftercare",
            {"tenant_informed", "consent"},
            "Coordinated with the care network → Yes",
        ),
        "out_aftercare_shelter": (
            dict(final, af_network="no", af_children="yes", af_veilig_thuis="yes", af_alternative="no"),
            "aftercare",
            {"care_network_coordinated", "shelter_registered", "tenant_informed", "consent"},
            "Alternative to the shelter → No, the shelter is the only option",
        ),
        "out_consult_bureau": ({"situation": "unknown"}, None, set(), "Situation → Unknown / still to check"),
    }


class WoonkansDecisionCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.tree = cls.env.ref("woonkans_decision_tree.decision_tree_woonkansboom")
        cls.version = cls.tree.published_version_id
        cls.caseworker = new_test_user(
            cls.env, login="wk_dt_caseworker", groups="woonkans_case.group_woonkans_user", name="Casey Worker"
        )
        cls.manager = new_test_user(
            cls.env, login="wk_dt_manager", groups="woonkans_case.group_woonkans_manager", name="Mara Manager"
        )
        # registered by the caseworker: a client without a case is reachable by whoever registered it
        cls.client = (
            cls.env["res.partner"]
            .with_user(cls.caseworker)
            .create({"name": "Tobias Testclient", "woonkans_is_client": True})
            .sudo()
        )

    @classmethod
    def _small_tree(cls, code="small", publish=True):
        """A tree with a number and a yes/no question and two outcomes."""
        env = cls.env
        tree = env["woonkans.decision.tree"].create(
            {
                "name": "Small tree",
                "code": code,
                "parameter_ids": [Command.create({"code": "months", "name": "Months", "value": 2})],
            }
        )
        version = env["woonkans.decision.tree.version"].create({"tree_id": tree.id, "note": "A small test tree."})
        node = env["woonkans.decision.node"]
        q1 = node.create(
            {
                "version_id": version.id,
                "code": "q_months",
                "kind": "question",
                "question_type": "number",
                "text": "How many months of arrears?",
                "short_text": "Months of arrears",
            }
        )
        q2 = node.create(
            {
                "version_id": version.id,
                "code": "q_help",
                "kind": "question",
                "question_type": "yesno",
                "text": "Does the tenant accept help?",
                "short_text": "Accepts help",
            }
        )
        out_a = node.create(
            {
                "version_id": version.id,
                "code": "out_a",
                "kind": "outcome",
                "text": "Outcome A",
                "outcome_kind": "eligible",
                "trajectory_type_id": env.ref("woonkans_case.trajectory_type_early_signal").id,
            }
        )
        out_b = node.create(
            {
                "version_id": version.id,
                "code": "out_b",
                "kind": "outcome",
                "text": "Outcome B",
                "outcome_kind": "not_eligible",
            }
        )
        option = env["woonkans.decision.option"]
        option.create(
            [
                {
                    "node_id": q1.id,
                    "code": "many",
                    "label": "{months} months or more",
                    "sequence": 1,
                    "rule_operator": "ge",
                    "rule_parameter_code": "months",
                    "next_node_id": q2.id,
                },
                {
                    "node_id": q1.id,
                    "code": "few",
                    "label": "Fewer",
                    "sequence": 2,
                    "rule_operator": "otherwise",
                    "next_node_id": out_b.id,
                },
                {
                    "node_id": q1.id,
                    "code": "unknown",
                    "label": "Unknown",
                    "sequence": 3,
                    "is_unknown": True,
                    "next_node_id": q2.id,
                },
                {
                    "node_id": q2.id,
                    "code": "yes",
                    "label": "Yes",
                    "next_node_id": out_a.id,
                    "met_condition_codes": "first_contact",
                },
                {"node_id": q2.id, "code": "no", "label": "No", "next_node_id": out_b.id},
                {"node_id": q2.id, "code": "unknown", "label": "Unknown", "is_unknown": True, "next_node_id": out_a.id},
            ]
        )
        out_a.condition_template_ids = env.ref("woonkans_case.trajectory_type_early_signal").condition_template_ids
        version.start_node_id = q1
        if publish:
            version.action_publish()
        return tree, version
