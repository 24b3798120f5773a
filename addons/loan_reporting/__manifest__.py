{
    "name": "Lending Reporting",
    "summary": "Portfolio history (month-end snapshots, daily aggregates), PAR, NPL and "
    "provisions, roll rates, vintages, the month-end classification list in XLSX",
    "version": "19.0.1.0.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_collection", "loan_marketing", "report_xlsx", "queue_job"],
    "data": [
        "security/loan_reporting_security.xml",
        "security/ir.model.access.csv",
        "data/loan_classification_data.xml",
        "views/loan_classification_views.xml",
        "views/loan_portfolio_snapshot_views.xml",
        "views/loan_portfolio_daily_views.xml",
        "views/report_loan_roll_rate_views.xml",
        "views/report_loan_vintage_views.xml",
        "views/report_loan_subledger_views.xml",
        "views/report_loan_finance_views.xml",
        "views/report_loan_origination_views.xml",
        "views/loan_report_schedule_views.xml",
        "wizard/loan_portfolio_rebuild_views.xml",
        "wizard/loan_classification_list_views.xml",
        "wizard/loan_management_pack_views.xml",
        "report/loan_reporting_reports.xml",
        "views/loan_reporting_menus.xml",
    ],
    "demo": [
        "demo/loan_reporting_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "loan_reporting/static/src/tours/*.js",
        ],
    },
    "installable": True,
}
