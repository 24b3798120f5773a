from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LoanCampaignCost(models.Model):
    """What a campaign spent on one day through one channel: typed by marketing or imported
    from the platform's spend export. One row per campaign, day and channel."""

    _name = "loan.campaign.cost"
    _description = "Campaign Cost"
    _order = "date desc, id desc"

    campaign_id = fields.Many2one("utm.campaign", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(
        related="campaign_id.loan_company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="campaign_id.loan_currency_id")
    date = fields.Date(required=True, default=fields.Date.context_today)
    channel_id = fields.Many2one("loan.marketing.channel", required=True, ondelete="restrict")
    amount = fields.Monetary(required=True, currency_field="currency_id")
    impressions = fields.Integer()
    clicks = fields.Integer()
    note = fields.Char()

    _campaign_day_channel_uniq = models.Constraint(
        "UNIQUE(campaign_id, date, channel_id)",
        "A campaign has one cost per day and channel: correct the existing row.",
    )

    @api.constrains("amount", "impressions", "clicks")
    def _check_amount(self):
        for cost in self:
            if cost.amount < 0 or cost.impressions < 0 or cost.clicks < 0:
                raise ValidationError(
                    self.env._(
                        "The cost of %(campaign)s on %(date)s cannot be negative.",
                        campaign=cost.campaign_id.name,
                        date=cost.date,
                    )
                )
