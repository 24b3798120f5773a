{
    "name": "Lending Origination",
    "summary": "Loan products with exact schedules and effective rate disclosure, the loan "
    "calculator, and applications from CRM leads through configurable appraisal stages",
    "version": "19.0.1.0.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_base", "crm"],
    "data": [
        "security/loan_origination_security.xml",
        "security/ir.model.access.csv",
        "data/loan_document_type_data.xml",
        "data/loan_application_data.xml",
        "wizard/loan_calculator_views.xml",
        "views/loan_product_views.xml",
        "views/loan_document_type_views.xml",
        "views/loan_application_stage_views.xml",
        "views/loan_application_views.xml",
        "views/crm_lead_views.xml",
        "views/loan_origination_menus.xml",
    ],
    "demo": [
        "demo/loan_product_demo.xml",
        "demo/loan_application_demo.xml",
    ],
    "installable": True,
}
