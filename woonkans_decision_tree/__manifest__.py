{
    "name": "Woonkansboom (decision tree)",
    "summary": "An editable, versioned decision tree that advises which woonkans trajectory "
    "fits a (possibly evicted) tenant, and explains why",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/woonkans/woonkans-odoo",
    "author": "Woonkans for Odoo",
    "maintainers": ["woonkans"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["woonkans_case", "portal"],
    "data": [
        "security/woonkans_decision_tree_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/ir_config_parameter_data.xml",
        "data/woonkans_decision_tree_data.xml",
        "report/woonkans_decision_tree_reports.xml",
        "report/woonkans_decision_tree_templates.xml",
        "views/woonkans_decision_tree_views.xml",
        "views/woonkans_decision_tree_version_views.xml",
        "views/woonkans_decision_node_views.xml",
        "views/woonkans_decision_run_views.xml",
        "wizards/woonkans_decision_walk_views.xml",
        "wizards/woonkans_decision_version_compare_views.xml",
        "views/woonkans_decision_tree_menus.xml",
        "views/woonkans_decision_tree_templates.xml",
        "views/woonkans_referral_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/woonkans_referral_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "woonkans_decision_tree/static/src/css/woonkansboom.css",
        ],
        "web.assets_tests": [
            "woonkans_decision_tree/static/tests/tours/**/*",
        ],
    },
}
