{
    "name": "Lending Base",
    "summary": "Consumer lending foundation: roles, borrower file, encrypted personal data, "
    "consent and the outreach gate with contact policies",
    "version": "19.0.1.1.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "contacts", "phone_validation", "sms"],
    "external_dependencies": {
        "python": ["cryptography", "phonenumbers", "python-stdnum", "requests"],
    },
    "data": [
        "security/loan_base_security.xml",
        "security/ir.model.access.csv",
        "data/loan_contact_policy_data.xml",
        "data/loan_outreach_provider_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "wizard/loan_pii_reveal_views.xml",
        "wizard/loan_outreach_send_views.xml",
        "views/loan_team_views.xml",
        "views/loan_contact_policy_views.xml",
        "views/loan_outreach_provider_views.xml",
        "views/loan_outreach_attempt_views.xml",
        "views/loan_consent_views.xml",
        "views/loan_pii_reveal_log_views.xml",
        "views/res_partner_views.xml",
        "views/loan_base_menus.xml",
    ],
    "demo": [
        "demo/loan_base_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "loan_base/static/src/tours/*.js",
        ],
    },
    "installable": True,
}
