from odoo import models

from .loan_portfolio import forget_history

# the records the history names without a foreign key (HistoryMany2one) and that may be
# deleted: their deletion reaches the history as the key's ondelete would have


class LoanContract(models.Model):
    _inherit = "loan.contract"

    def unlink(self):
        forget_history(self)
        return super().unlink()


class LoanTeam(models.Model):
    _inherit = "loan.team"

    def unlink(self):
        forget_history(self)
        return super().unlink()


class ResUsers(models.Model):
    _inherit = "res.users"

    def unlink(self):
        forget_history(self)
        return super().unlink()


class UtmCampaign(models.Model):
    _inherit = "utm.campaign"

    def unlink(self):
        forget_history(self)
        return super().unlink()
