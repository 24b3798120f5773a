from odoo import api, fields, models
from odoo.exceptions import ValidationError

MARKETING = "loan_marketing.group_loan_marketing_user"


class UtmCampaign(models.Model):
    """A lending campaign: Odoo's utm campaign with the channels it runs on, the products it
    offers, its budget, dates and targets, its daily costs, and live figures from the leads,
    applications and disbursed contracts it brought."""

    _inherit = "utm.campaign"

    loan_is_lending = fields.Boolean("Lending Campaign", groups=MARKETING)
    loan_company_id = fields.Many2one(
        "res.company",
        "Lending Company",
        index=True,
        help="Set on lending campaigns (the current company by default); other campaigns "
        "stay shared, as in Odoo.",
    )
    loan_currency_id = fields.Many2one(related="loan_company_id.currency_id")
    loan_channel_ids = fields.Many2many(
        "loan.marketing.channel", string="Channels", groups=MARKETING
    )
    loan_product_ids = fields.Many2many("loan.product", string="Products Offered", groups=MARKETING)
    loan_team_id = fields.Many2one("loan.team", "Lending Team", groups=MARKETING)
    loan_date_start = fields.Date("Start", groups=MARKETING)
    loan_date_end = fields.Date("End", groups=MARKETING)
    loan_budget = fields.Monetary("Budget", currency_field="loan_currency_id", groups=MARKETING)
    loan_target_leads = fields.Integer("Target Leads", groups=MARKETING)
    loan_target_disbursed = fields.Integer("Target Disbursements", groups=MARKETING)
    loan_cost_ids = fields.One2many("loan.campaign.cost", "campaign_id", "Costs", groups=MARKETING)
    loan_cost_total = fields.Monetary(
        "Spent",
        compute="_compute_loan_figures",
        currency_field="loan_currency_id",
        groups=MARKETING,
    )
    loan_lead_count = fields.Integer("Leads", compute="_compute_loan_figures", groups=MARKETING)
    loan_application_count = fields.Integer(
        "Applications", compute="_compute_loan_figures", groups=MARKETING
    )
    loan_disbursed_count = fields.Integer(
        "Disbursed Loans", compute="_compute_loan_figures", groups=MARKETING
    )
    loan_cost_per_lead = fields.Monetary(
        "Cost per Lead",
        compute="_compute_loan_figures",
        currency_field="loan_currency_id",
        groups=MARKETING,
    )
    loan_cost_per_application = fields.Monetary(
        "Cost per Application",
        compute="_compute_loan_figures",
        currency_field="loan_currency_id",
        groups=MARKETING,
    )
    loan_cost_per_disbursed = fields.Monetary(
        "Cost per Disbursed Loan",
        compute="_compute_loan_figures",
        currency_field="loan_currency_id",
        groups=MARKETING,
    )
    loan_budget_used = fields.Float(
        "Budget Used (%)", compute="_compute_loan_figures", groups=MARKETING
    )

    @api.constrains("loan_date_start", "loan_date_end", "loan_budget")
    def _check_loan_terms(self):
        for campaign in self:
            if (
                campaign.loan_date_start
                and campaign.loan_date_end
                and campaign.loan_date_end < campaign.loan_date_start
            ):
                raise ValidationError(
                    self.env._("Campaign %s ends before it starts.", campaign.name)
                )
            if campaign.loan_budget < 0:
                raise ValidationError(
                    self.env._("The budget of campaign %s cannot be negative.", campaign.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("loan_is_lending") and not vals.get("loan_company_id"):
                vals["loan_company_id"] = self.env.company.id
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("loan_is_lending") and "loan_company_id" not in vals:
            self.filtered(lambda c: not c.loan_company_id).write(
                {"loan_company_id": self.env.company.id}
            )
        return super().write(vals)

    def _compute_loan_figures(self):
        """Live figures in four grouped queries, whatever the number of campaigns shown."""
        figures = self._loan_figures()
        for campaign in self:
            row = figures.get(campaign.id, {})
            currency = campaign.loan_currency_id or self.env.company.currency_id
            cost = currency.round(row.get("cost", 0.0))
            campaign.loan_cost_total = cost
            campaign.loan_lead_count = leads = row.get("leads", 0)
            campaign.loan_application_count = apps = row.get("applications", 0)
            campaign.loan_disbursed_count = loans = row.get("disbursed", 0)
            rnd = currency.round
            campaign.loan_cost_per_lead = rnd(cost / leads) if leads else 0.0
            campaign.loan_cost_per_application = rnd(cost / apps) if apps else 0.0
            campaign.loan_cost_per_disbursed = rnd(cost / loans) if loans else 0.0
            campaign.loan_budget_used = (
                100.0 * cost / campaign.loan_budget if campaign.loan_budget else 0.0
            )

    def _loan_figures(self):
        """{campaign id: {cost, leads, applications, disbursed}} read in SQL."""
        ids = [cid for cid in self.ids if isinstance(cid, int)]
        if not ids:
            return {}
        self.env["loan.campaign.cost"].flush_model()
        self.env["crm.lead"].flush_model(["campaign_id"])
        self.env["loan.application"].flush_model(["lead_id"])
        self.env["loan.contract"].flush_model(["application_id", "disbursed_date"])
        cr = self.env.cr
        result = {cid: {} for cid in ids}
        queries = {
            "cost": "SELECT campaign_id, SUM(amount) FROM loan_campaign_cost"
            " WHERE campaign_id = ANY(%s) GROUP BY campaign_id",
            "leads": "SELECT campaign_id, COUNT(*) FROM crm_lead"
            " WHERE campaign_id = ANY(%s) GROUP BY campaign_id",
            "applications": "SELECT l.campaign_id, COUNT(*) FROM loan_application a"
            " JOIN crm_lead l ON l.id = a.lead_id WHERE l.campaign_id = ANY(%s)"
            " GROUP BY l.campaign_id",
            "disbursed": "SELECT l.campaign_id, COUNT(*) FROM loan_contract k"
            " JOIN loan_application a ON a.id = k.application_id"
            " JOIN crm_lead l ON l.id = a.lead_id"
            " WHERE l.campaign_id = ANY(%s) AND k.disbursed_date IS NOT NULL"
            " GROUP BY l.campaign_id",
        }
        for key, query in queries.items():
            cr.execute(query, [ids])
            for cid, value in cr.fetchall():
                result[cid][key] = value
        return result

    def action_loan_view_costs(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Costs of %s", self.name),
            "res_model": "loan.campaign.cost",
            "view_mode": "list,pivot,graph",
            "domain": [("campaign_id", "=", self.id)],
            "context": {"default_campaign_id": self.id},
        }

    def action_loan_view_leads(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Leads of %s", self.name),
            "res_model": "crm.lead",
            "view_mode": "list,form",
            "domain": [("campaign_id", "=", self.id)],
        }
