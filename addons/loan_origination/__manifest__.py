{
    "name": "Lending Origination",
    "summary": "Applications from CRM leads through configurable appraisal stages: "
    "documents, checks, field visits, scorecards, fraud signals, the blacklist, the "
    "approval matrix and the step from an approved application to a contract",
    "version": "19.0.1.1.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_servicing", "crm"],
    "data": [
        "security/loan_origination_security.xml",
        "security/ir.model.access.csv",
        "data/loan_document_type_data.xml",
        "data/loan_application_data.xml",
        "data/loan_scorecard_data.xml",
        "data/loan_approval_rule_data.xml",
        "wizard/loan_application_decide_views.xml",
        "views/loan_document_type_views.xml",
        "views/loan_application_stage_views.xml",
        "views/loan_application_views.xml",
        "views/loan_field_visit_views.xml",
        "views/loan_scorecard_views.xml",
        "views/loan_approval_rule_views.xml",
        "views/loan_product_views.xml",
        "views/loan_contract_views.xml",
        "views/res_partner_views.xml",
        "views/crm_lead_views.xml",
        "views/loan_origination_menus.xml",
    ],
    "demo": [
        "demo/loan_product_demo.xml",
        "demo/loan_application_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "loan_origination/static/src/tours/*.js",
        ],
    },
    "installable": True,
}
