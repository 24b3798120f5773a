import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

# field on res.company -> (account type, where its code is numbered from)
PROVISION_ACCOUNTS = {
    "loan_provision_expense_account_id": ("expense", "expense"),
    "loan_provision_account_id": ("asset_current", "asset_current"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    loan_general_provision_rate = fields.Float(
        "General Provision (%)",
        digits=(5, 2),
        default=0.75,
        help="Of the outstanding principal of the classes that bear it (Circular 11/2021: "
        "0.75% of groups 1 to 4).",
    )
    loan_post_provisions = fields.Boolean(
        "Post Month-end Provisions",
        default=True,
        help="At each month end, the end of day brings the loan loss allowance to the "
        "provisions of the portfolio (specific and general) by one entry in the loan journal.",
    )
    loan_provision_expense_account_id = fields.Many2one(
        "account.account",
        "Provision Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
    )
    loan_provision_account_id = fields.Many2one(
        "account.account",
        "Loan Loss Allowance Account",
        domain="[('account_type', 'in', ('asset_current', 'asset_non_current'))]",
        help="The contra-asset account holding the provisions made against the loans.",
    )

    @api.constrains("loan_general_provision_rate")
    def _check_loan_general_provision_rate(self):
        for company in self:
            if not 0 <= company.loan_general_provision_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "The general provision rate of %s must lie between 0 and 100%%.",
                        company.name,
                    )
                )

    def _loan_account_names(self):
        return {
            **super()._loan_account_names(),
            "loan_provision_expense_account_id": self.env._("Loan loss provision expense"),
            "loan_provision_account_id": self.env._("Allowance for loan losses"),
        }

    def _loan_setup_accounting(self):
        """Lending's accounts, and the two the month-end provisions post to."""
        result = super()._loan_setup_accounting()
        names = self._loan_account_names()
        for company in self.sudo().filtered("chart_template"):
            Account = self.env["account.account"].sudo().with_company(company)
            vals = {}
            for fname, (account_type, start_type) in PROVISION_ACCOUNTS.items():
                if company[fname]:
                    continue
                start = Account.search(
                    [*Account._check_company_domain(company), ("account_type", "=", start_type)],
                    order="code desc",
                    limit=1,
                ).code
                vals[fname] = Account.create(
                    {
                        "name": names[fname],
                        "code": company._loan_next_code(start),
                        "account_type": account_type,
                        "company_ids": [fields.Command.set(company.ids)],
                    }
                ).id
            if vals:
                company.write(vals)
        return result

    @api.model
    def _loan_setup_provision_accounts(self):
        """On install and upgrade: every company with a chart gets the provision accounts
        now, not at its first month end."""
        self.sudo().search([])._loan_setup_accounting()

    @api.model
    def _loan_post_provisions(self, day):
        """Bring each company's loan loss allowance to the provisions of its portfolio on
        ``day`` (a month end whose aggregate is written), by one entry in the loan journal
        dated that day: an expense when provisions grow, a release when they shrink. Posting
        again changes nothing. A company whose period is locked is skipped and logged.
        Returns the entries posted."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT company_id, SUM(provision) FROM loan_portfolio_daily WHERE date = %s"
            " GROUP BY company_id",
            [day],
        )
        totals = dict(self.env.cr.fetchall())
        moves = self.env["account.move"].sudo()
        companies = self.sudo().search([("loan_post_provisions", "=", True)])
        for company in companies.filtered(lambda c: c.id in totals or c.loan_provision_account_id):
            company._loan_setup_accounting()
            expense = company.loan_provision_expense_account_id
            allowance = company.loan_provision_account_id
            journal = company.loan_journal_id
            if not (expense and allowance and journal):
                continue
            self.env.cr.execute(
                "SELECT COALESCE(SUM(balance), 0) FROM account_move_line WHERE account_id = %s"
                " AND company_id = %s AND date <= %s AND parent_state = 'posted'",
                [allowance.id, company.id, day],
            )
            held = -self.env.cr.fetchone()[0]
            currency = company.currency_id
            change = currency.round(float(totals.get(company.id) or 0) - float(held))
            if currency.is_zero(change):
                continue
            label = self.env._("Loan loss provisions at %s", fields.Date.to_string(day))
            line = {"name": label}
            move = moves.with_company(company).create(
                {
                    "journal_id": journal.id,
                    "date": day,
                    "ref": label,
                    "line_ids": [
                        fields.Command.create(
                            {
                                **line,
                                "account_id": expense.id,
                                "debit": max(change, 0),
                                "credit": max(-change, 0),
                            }
                        ),
                        fields.Command.create(
                            {
                                **line,
                                "account_id": allowance.id,
                                "debit": max(-change, 0),
                                "credit": max(change, 0),
                            }
                        ),
                    ],
                }
            )
            try:
                with self.env.cr.savepoint():
                    move.action_post()
            except UserError as error:
                _logger.warning("Provisions of %s at %s not posted: %s", company.name, day, error)
                move.unlink()
                continue
            moves |= move
        return moves
