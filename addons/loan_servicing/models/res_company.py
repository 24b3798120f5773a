from odoo import fields, models

# field on res.company -> (account type, where its code is numbered from)
LOAN_ACCOUNTS = {
    "loan_receivable_account_id": ("asset_receivable", "receivable"),
    "loan_charges_receivable_account_id": ("asset_receivable", "receivable"),
    "loan_advance_account_id": ("liability_current", "liability"),
    "loan_interest_income_account_id": ("income", "income"),
    "loan_fee_income_account_id": ("income", "income"),
    "loan_penalty_income_account_id": ("income", "income"),
    "loan_write_off_account_id": ("expense", "expense"),
    "loan_recovery_income_account_id": ("income", "income"),
}


class ResCompany(models.Model):
    _inherit = "res.company"

    loan_journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', '=', 'general'), ('company_id', '=', id)]",
        help="Journal of the lending entries that move no money: fees, accruals, write-offs.",
    )
    loan_disbursement_journal_id = fields.Many2one(
        "account.journal",
        "Disbursement Journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', id)]",
    )
    loan_receivable_account_id = fields.Many2one(
        "account.account",
        domain="[('account_type', '=', 'asset_receivable')]",
    )
    loan_charges_receivable_account_id = fields.Many2one(
        "account.account",
        "Interest and Charges Receivable Account",
        domain="[('account_type', '=', 'asset_receivable')]",
    )
    loan_advance_account_id = fields.Many2one(
        "account.account",
        "Customer Advances Account",
        domain="[('account_type', '=', 'liability_current')]",
    )
    loan_write_off_account_id = fields.Many2one(
        "account.account",
        "Write-off Expense Account",
        domain="[('account_type', '=', 'expense')]",
    )
    loan_recovery_income_account_id = fields.Many2one(
        "account.account",
        "Recovery Income Account",
        domain="[('account_type', '=', 'income')]",
    )
    loan_interest_income_account_id = fields.Many2one(
        "account.account", "Interest Income Account", domain="[('account_type', '=', 'income')]"
    )
    loan_fee_income_account_id = fields.Many2one(
        "account.account", "Fee Income Account", domain="[('account_type', '=', 'income')]"
    )
    loan_penalty_income_account_id = fields.Many2one(
        "account.account", "Penalty Income Account", domain="[('account_type', '=', 'income')]"
    )

    def _loan_account_names(self):
        return {
            "loan_receivable_account_id": self.env._("Loans to customers"),
            "loan_charges_receivable_account_id": self.env._(
                "Loan interest and charges receivable"
            ),
            "loan_advance_account_id": self.env._("Borrowers' advance payments"),
            "loan_interest_income_account_id": self.env._("Loan interest income"),
            "loan_fee_income_account_id": self.env._("Loan fee income"),
            "loan_penalty_income_account_id": self.env._("Late payment penalty income"),
            "loan_write_off_account_id": self.env._("Loans written off"),
            "loan_recovery_income_account_id": self.env._("Recoveries of loans written off"),
        }

    def _loan_next_code(self, start):
        """The first code after ``start`` that no account of the company uses."""
        self.ensure_one()
        Account = self.env["account.account"].with_company(self).with_context(active_test=False)
        digits = start if start and start.isdigit() else "900000"
        number = int(digits)
        while True:
            number += 1
            code = str(number).zfill(len(digits))
            domain = [("code", "=", code), *Account._check_company_domain(self)]
            if not Account.search_count(domain, limit=1):
                return code

    def _loan_setup_accounting(self):
        """Give each company that has a chart of accounts the accounts and journals lending
        posts to, creating what is missing (codes numbered after the chart's own receivable
        and income accounts). Administrators can point them elsewhere afterwards; products
        copy them when created."""
        for company in self.sudo().filtered("chart_template"):
            Account = self.env["account.account"].sudo().with_company(company)
            domain = Account._check_company_domain(company)
            starts = {
                "receivable": Account.search(
                    [*domain, ("account_type", "=", "asset_receivable")], order="code", limit=1
                ).code,
                "expense": (
                    company.expense_account_id.code
                    or Account.search(
                        [*domain, ("account_type", "=", "expense")], order="code", limit=1
                    ).code
                ),
                "liability": Account.search(
                    [*domain, ("account_type", "=", "liability_current")], order="code", limit=1
                ).code,
                "income": (
                    company.income_account_id.code
                    or Account.search(
                        [*domain, ("account_type", "=", "income")], order="code", limit=1
                    ).code
                ),
            }
            vals = {}
            names = self._loan_account_names()
            for fname, (account_type, start) in LOAN_ACCOUNTS.items():
                if company[fname]:
                    continue
                account = Account.create(
                    {
                        "name": names[fname],
                        "code": company._loan_next_code(starts[start]),
                        "account_type": account_type,
                        "reconcile": account_type == "asset_receivable",
                        "company_ids": [fields.Command.set(company.ids)],
                    }
                )
                starts[start] = account.code
                vals[fname] = account.id
            Journal = self.env["account.journal"].sudo()
            if not company.loan_journal_id:
                codes = set(Journal.search([("company_id", "=", company.id)]).mapped("code"))
                code = next(c for c in ("LOAN", "LOAN2", "LOAN3", "LNS") if c not in codes)
                vals["loan_journal_id"] = Journal.create(
                    {
                        "name": self.env._("Loans"),
                        "code": code,
                        "type": "general",
                        "company_id": company.id,
                    }
                ).id
            if not company.loan_disbursement_journal_id:
                vals["loan_disbursement_journal_id"] = Journal.search(
                    [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
                ).id
            if vals:
                company.write(vals)

    def _loan_accounting_defaults(self):
        """Accounting configuration a new product of this company starts from."""
        self.ensure_one()
        self._loan_setup_accounting()
        return {
            "journal_id": self.loan_journal_id.id,
            "disbursement_journal_id": self.loan_disbursement_journal_id.id,
            "account_receivable_id": self.loan_receivable_account_id.id,
            "account_interest_income_id": self.loan_interest_income_account_id.id,
            "account_fee_income_id": self.loan_fee_income_account_id.id,
            "account_penalty_income_id": self.loan_penalty_income_account_id.id,
            "account_charges_receivable_id": self.loan_charges_receivable_account_id.id,
            "account_advance_id": self.loan_advance_account_id.id,
            "account_write_off_id": self.loan_write_off_account_id.id,
            "account_recovery_income_id": self.loan_recovery_income_account_id.id,
        }
