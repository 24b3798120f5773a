{
    "name": "Lending Collection",
    "summary": "Delinquency buckets and cases fed by the end of day, strategies with "
    "champion/challenger, worklists, promises, hardship, fraud hand-off, field visits, "
    "call QA, training, complaint tickets and team KPIs",
    "version": "19.0.1.0.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_origination", "helpdesk_mgmt", "queue_job"],
    "data": [
        "security/loan_collection_security.xml",
        "security/ir.model.access.csv",
        "data/loan_collection_data.xml",
        "views/loan_collection_case_views.xml",
        "views/loan_collection_config_views.xml",
        "views/loan_collection_work_views.xml",
        "views/loan_collection_menus.xml",
    ],
    "demo": ["demo/loan_collection_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "loan_collection/static/src/tours/*.js",
        ],
    },
    "installable": True,
}
