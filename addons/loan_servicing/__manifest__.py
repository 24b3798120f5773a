{
    "name": "Lending Servicing",
    "summary": "The loan account: contracts and exact schedules, disbursement, receipts and "
    "allocation, accrual and penalties, settlement, restructures, waivers, write-off, "
    "statements and vouchers, bank matching and the end-of-day batch",
    "version": "19.0.1.0.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_base", "account", "queue_job"],
    "data": [
        "security/loan_servicing_security.xml",
        "security/ir.model.access.csv",
        "data/loan_servicing_data.xml",
        "wizard/loan_calculator_views.xml",
        "views/loan_product_views.xml",
        "views/loan_decision_reason_views.xml",
        "views/loan_contract_views.xml",
        "views/loan_receipt_views.xml",
        "views/loan_eod_views.xml",
        "views/loan_waiver_views.xml",
        "report/loan_contract_report.xml",
        "report/loan_servicing_report.xml",
        "views/account_payment_views.xml",
        "views/res_partner_views.xml",
        "report/loan_receivable_report_views.xml",
        "views/loan_servicing_menus.xml",
    ],
    "demo": [
        "demo/loan_product_demo.xml",
    ],
    "installable": True,
}
