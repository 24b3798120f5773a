{
    "name": "Lending Marketing",
    "summary": "Campaigns with costs, lead capture (landing page, Facebook Lead Ads, Zalo, "
    "imports, partner API) with consent and encrypted data, de-duplication, allocation with a "
    "first-contact SLA, nurture journeys through the gate, attribution to loans",
    "version": "19.0.1.0.0",
    "category": "Lending",
    "website": "https://github.com/lending-suite/lending",
    "author": "Lending Suite Contributors",
    "license": "LGPL-3",
    "depends": ["loan_origination", "utm", "website", "mass_mailing", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/loan_marketing_security.xml",
        "security/ir.model.access.csv",
        "data/loan_marketing_channel_data.xml",
        "data/loan_marketing_data.xml",
        "wizard/loan_lead_import_views.xml",
        "wizard/loan_campaign_cost_import_views.xml",
        "views/utm_campaign_views.xml",
        "views/loan_campaign_cost_views.xml",
        "views/loan_lead_source_views.xml",
        "views/loan_lead_touch_views.xml",
        "views/crm_lead_views.xml",
        "views/loan_lead_allocation_views.xml",
        "views/loan_nurture_views.xml",
        "views/loan_marketing_report_views.xml",
        "views/loan_landing_templates.xml",
        "views/loan_marketing_menus.xml",
    ],
    "demo": [
        "demo/loan_marketing_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "loan_marketing/static/src/js/loan_landing.js",
        ],
        "web.assets_tests": [
            "loan_marketing/static/src/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "installable": True,
}
