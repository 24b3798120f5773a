{
    "name": "Lending Collection",
    "summary": "Delinquency buckets, one collection case per delinquent borrower opened, "
    "escalated and closed by the end of day, queues and a next-case worklist",
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
        "views/loan_collection_menus.xml",
    ],
    "demo": ["demo/loan_collection_demo.xml"],
    "installable": True,
}
