from odoo import fields, models

MODELS = [("first", "First touch"), ("last", "Last touch"), ("linear", "Linear")]


class LoanMarketingAttribution(models.Model):
    """Credit of each touch for what its lead became, under three models: the first touch
    takes it all, the last touch takes it all, or every touch an equal share. Per campaign,
    channel and medium: leads, applications, disbursed contracts and amounts, and the money
    later collected on them."""

    _name = "loan.marketing.attribution"
    _description = "Marketing Attribution"
    _auto = False
    _order = "touched_at desc"

    touch_id = fields.Many2one("loan.lead.touch", readonly=True)
    lead_id = fields.Many2one("crm.lead", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    channel_id = fields.Many2one("loan.marketing.channel", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    source_id = fields.Many2one("loan.lead.source", "Lead Source", readonly=True)
    touched_at = fields.Datetime(readonly=True)
    model = fields.Selection(MODELS, "Attribution Model", readonly=True)
    credit = fields.Float("Lead Credit", readonly=True, digits=(16, 4))
    application_credit = fields.Float("Applications", readonly=True, digits=(16, 4))
    disbursed_credit = fields.Float("Disbursed Loans", readonly=True, digits=(16, 4))
    disbursed_amount = fields.Monetary("Amount Disbursed", readonly=True)
    collected_amount = fields.Monetary("Collected", readonly=True)

    @property
    def _table_query(self):
        return """
            WITH numbered AS (
                SELECT t.*,
                       ROW_NUMBER() OVER (PARTITION BY t.lead_id ORDER BY t.touched_at, t.id) AS rn,
                       COUNT(*) OVER (PARTITION BY t.lead_id) AS n
                  FROM loan_lead_touch t
            ), apps AS (
                SELECT lead_id, COUNT(*) AS apps FROM loan_application
                 WHERE lead_id IS NOT NULL GROUP BY lead_id
            ), loans AS (
                SELECT a.lead_id, COUNT(k.id) AS loans, SUM(k.amount) AS amount
                  FROM loan_contract k JOIN loan_application a ON a.id = k.application_id
                 WHERE k.disbursed_date IS NOT NULL GROUP BY a.lead_id
            ), paid AS (
                SELECT a.lead_id, SUM(r.amount) AS amount
                  FROM loan_receipt r
                  JOIN loan_contract k ON k.id = r.contract_id
                  JOIN loan_application a ON a.id = k.application_id
                 WHERE r.state = 'posted' GROUP BY a.lead_id
            )
            SELECT t.id * 3 + m.k AS id, t.id AS touch_id, t.lead_id, t.company_id,
                   c.currency_id, t.campaign_id, t.channel_id, t.medium_id, t.source_id,
                   t.touched_at, m.model, w.weight AS credit,
                   w.weight * COALESCE(apps.apps, 0) AS application_credit,
                   w.weight * COALESCE(loans.loans, 0) AS disbursed_credit,
                   w.weight * COALESCE(loans.amount, 0) AS disbursed_amount,
                   w.weight * COALESCE(paid.amount, 0) AS collected_amount
              FROM numbered t
              JOIN res_company c ON c.id = t.company_id
             CROSS JOIN (VALUES (0, 'first'), (1, 'last'), (2, 'linear')) AS m(k, model)
             CROSS JOIN LATERAL (SELECT CASE m.model
                    WHEN 'first' THEN (t.rn = 1)::int::numeric
                    WHEN 'last' THEN (t.rn = t.n)::int::numeric
                    ELSE 1.0 / t.n END AS weight) w
              LEFT JOIN apps ON apps.lead_id = t.lead_id
              LEFT JOIN loans ON loans.lead_id = t.lead_id
              LEFT JOIN paid ON paid.lead_id = t.lead_id
             WHERE w.weight > 0
        """


class LoanMarketingFunnel(models.Model):
    """Each lending lead and how far it went: contacted, qualified, applied, approved,
    disbursed; summed per campaign, channel, medium, consultant and month."""

    _name = "loan.marketing.funnel"
    _description = "Marketing Funnel"
    _auto = False
    _order = "captured_at desc"

    lead_id = fields.Many2one("crm.lead", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    channel_id = fields.Many2one("loan.marketing.channel", readonly=True)
    medium_id = fields.Many2one("utm.medium", readonly=True)
    source_id = fields.Many2one("loan.lead.source", "Lead Source", readonly=True)
    user_id = fields.Many2one("res.users", "Consultant", readonly=True)
    province_id = fields.Many2one("res.country.state", readonly=True)
    captured_at = fields.Datetime(readonly=True)
    sla_state = fields.Selection(
        [("pending", "Waiting"), ("met", "Met"), ("missed", "Missed")], readonly=True
    )
    leads = fields.Integer(readonly=True)
    contacted = fields.Integer(readonly=True)
    qualified = fields.Integer(readonly=True)
    applications = fields.Integer(readonly=True)
    approved = fields.Integer(readonly=True)
    disbursed = fields.Integer(readonly=True)

    @property
    def _table_query(self):
        return """
            SELECT l.id, l.id AS lead_id, l.company_id, l.campaign_id,
                   l.loan_channel_id AS channel_id, l.medium_id, l.loan_source_id AS source_id,
                   l.user_id, l.loan_province_id AS province_id,
                   COALESCE(l.loan_captured_at, l.create_date) AS captured_at,
                   l.loan_sla_state AS sla_state, 1 AS leads,
                   (l.loan_first_contact_at IS NOT NULL)::int AS contacted,
                   (l.loan_prequal_state = 'qualified' OR a.n > 0)::int AS qualified,
                   (COALESCE(a.n, 0) > 0)::int AS applications,
                   (COALESCE(a.approved, 0) > 0)::int AS approved,
                   (COALESCE(k.n, 0) > 0)::int AS disbursed
              FROM crm_lead l
              LEFT JOIN (SELECT lead_id, COUNT(*) AS n,
                                COUNT(*) FILTER (WHERE decision = 'approved') AS approved
                           FROM loan_application WHERE lead_id IS NOT NULL GROUP BY lead_id) a
                     ON a.lead_id = l.id
              LEFT JOIN (SELECT ap.lead_id, COUNT(*) AS n FROM loan_contract c
                           JOIN loan_application ap ON ap.id = c.application_id
                          WHERE c.disbursed_date IS NOT NULL GROUP BY ap.lead_id) k
                     ON k.lead_id = l.id
             WHERE l.loan_source_id IS NOT NULL OR l.loan_product_id IS NOT NULL
        """


class LoanMarketingCampaignResult(models.Model):
    """A campaign against what it cost: leads, applications and loans, the interest, fees
    and penalties received on its loans (ROI), and their quality: the share of its
    contracts 30 or more days past due at three months on book. The reporting module reads
    this model."""

    _name = "loan.marketing.campaign.result"
    _description = "Campaign Result"
    _auto = False
    _order = "campaign_id"

    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    cost = fields.Monetary(readonly=True)
    leads = fields.Integer(readonly=True)
    applications = fields.Integer(readonly=True)
    disbursed = fields.Integer("Disbursed Loans", readonly=True)
    disbursed_amount = fields.Monetary(readonly=True)
    income = fields.Monetary(
        "Income Received", readonly=True, help="Interest, fees and penalties received."
    )
    roi = fields.Float("ROI (%)", readonly=True, aggregator="avg")
    cost_per_lead = fields.Monetary(readonly=True, aggregator="avg")
    cost_per_disbursed = fields.Monetary("Cost per Loan", readonly=True, aggregator="avg")
    mob3_contracts = fields.Integer("Contracts at 3 MoB", readonly=True)
    mob3_late = fields.Integer("30+ DPD at 3 MoB", readonly=True)
    mob3_late_share = fields.Float("30+ at 3 MoB (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return """
            WITH camp AS (
                SELECT c.id, c.loan_company_id AS company_id
                  FROM utm_campaign c WHERE c.loan_is_lending AND c.loan_company_id IS NOT NULL
            ), cost AS (
                SELECT campaign_id, SUM(amount) AS cost FROM loan_campaign_cost GROUP BY campaign_id
            ), leads AS (
                SELECT campaign_id, COUNT(*) AS n FROM crm_lead
                 WHERE campaign_id IS NOT NULL GROUP BY campaign_id
            ), apps AS (
                SELECT l.campaign_id, COUNT(*) AS n FROM loan_application a
                  JOIN crm_lead l ON l.id = a.lead_id GROUP BY l.campaign_id
            ), loans AS (
                SELECT l.campaign_id, k.id AS contract_id, k.amount, k.disbursed_date
                  FROM loan_contract k
                  JOIN loan_application a ON a.id = k.application_id
                  JOIN crm_lead l ON l.id = a.lead_id
                 WHERE k.disbursed_date IS NOT NULL
            ), income AS (
                SELECT loans.campaign_id, SUM(rl.amount) AS amount
                  FROM loans
                  JOIN loan_receipt r ON r.contract_id = loans.contract_id AND r.state = 'posted'
                  JOIN loan_receipt_line rl ON rl.receipt_id = r.id
                 WHERE rl.component IN ('interest', 'fees', 'penalty')
                 GROUP BY loans.campaign_id
            ), mob3 AS (
                SELECT loans.campaign_id, loans.contract_id, COALESCE((
                        SELECT h.dpd FROM loan_contract_dpd h
                         WHERE h.contract_id = loans.contract_id
                           AND h.date <= loans.disbursed_date + INTERVAL '3 months'
                         ORDER BY h.date DESC LIMIT 1), 0) AS dpd
                  FROM loans
                 WHERE loans.disbursed_date + INTERVAL '3 months' <= CURRENT_DATE
            ), quality AS (
                SELECT campaign_id, COUNT(*) AS n, COUNT(*) FILTER (WHERE dpd >= 30) AS late
                  FROM mob3 GROUP BY campaign_id
            ), lent AS (
                SELECT campaign_id, COUNT(*) AS n, SUM(amount) AS amount
                  FROM loans GROUP BY campaign_id
            )
            SELECT camp.id, camp.id AS campaign_id, camp.company_id, co.currency_id,
                   COALESCE(cost.cost, 0) AS cost,
                   COALESCE(leads.n, 0) AS leads,
                   COALESCE(apps.n, 0) AS applications,
                   COALESCE(lent.n, 0) AS disbursed,
                   COALESCE(lent.amount, 0) AS disbursed_amount,
                   COALESCE(income.amount, 0) AS income,
                   CASE WHEN COALESCE(cost.cost, 0) > 0
                        THEN 100.0 * (COALESCE(income.amount, 0) - cost.cost) / cost.cost
                        ELSE 0 END AS roi,
                   CASE WHEN COALESCE(leads.n, 0) > 0 THEN COALESCE(cost.cost, 0) / leads.n
                        ELSE 0 END AS cost_per_lead,
                   CASE WHEN COALESCE(lent.n, 0) > 0 THEN COALESCE(cost.cost, 0) / lent.n
                        ELSE 0 END AS cost_per_disbursed,
                   COALESCE(quality.n, 0) AS mob3_contracts,
                   COALESCE(quality.late, 0) AS mob3_late,
                   CASE WHEN COALESCE(quality.n, 0) > 0
                        THEN 100.0 * quality.late / quality.n ELSE 0 END AS mob3_late_share
              FROM camp
              JOIN res_company co ON co.id = camp.company_id
              LEFT JOIN cost ON cost.campaign_id = camp.id
              LEFT JOIN leads ON leads.campaign_id = camp.id
              LEFT JOIN apps ON apps.campaign_id = camp.id
              LEFT JOIN lent ON lent.campaign_id = camp.id
              LEFT JOIN income ON income.campaign_id = camp.id
              LEFT JOIN quality ON quality.campaign_id = camp.id
        """
