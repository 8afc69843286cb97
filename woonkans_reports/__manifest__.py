{
    "name": "Woonkans Reports",
    "summary": "Case analysis, outcome KPIs, Excel exports, retention list and the dossier "
    "overview for parties' meetings of a woonkans bureau",
    "version": "19.0.1.0.0",
    "category": "Services",
    "website": "https://github.com/woonkans/woonkans-odoo",
    "author": "Woonkans for Odoo",
    "maintainers": ["woonkans"],
    "license": "AGPL-3",
    "development_status": "Beta",
    "depends": ["woonkans_case", "report_xlsx"],
    "external_dependencies": {"python": ["xlsxwriter", "pyzipper", "pypdf"]},
    "data": [
        "security/ir.model.access.csv",
        "security/woonkans_reports_security.xml",
        "report/woonkans_case_reports.xml",
        "report/woonkans_case_templates.xml",
        "views/woonkans_case_report_views.xml",
        "views/woonkans_referral_views.xml",
        "wizards/woonkans_case_report_period_views.xml",
        "views/woonkans_reports_menus.xml",
        "views/res_config_settings_views.xml",
        "wizards/woonkans_case_protected_export_views.xml",
        "wizards/woonkans_protected_report_views.xml",
        "wizards/woonkans_subject_access_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "woonkans_reports/static/src/js/protected_report_handler.esm.js",
        ],
        "web.assets_tests": [
            "woonkans_reports/static/tests/tours/**/*",
        ],
    },
}
