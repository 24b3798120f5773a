from . import loan_lead_import, loan_campaign_cost_import
