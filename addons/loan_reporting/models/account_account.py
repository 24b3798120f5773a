from odoo import api, fields, models
from odoo.tools import SQL

# the role an account plays for lending -> the company and product fields that name it
LOAN_ACCOUNT_ROLES = {
    "receivable": ("loan_receivable_account_id", "account_receivable_id"),
    "charges_receivable": (
        "loan_charges_receivable_account_id",
        "account_charges_receivable_id",
    ),
    "interest_income": ("loan_interest_income_account_id", "account_interest_income_id"),
    "fee_income": ("loan_fee_income_account_id", "account_fee_income_id"),
    "penalty_income": ("loan_penalty_income_account_id", "account_penalty_income_id"),
    "write_off": ("loan_write_off_account_id", "account_write_off_id"),
    "recovery_income": ("loan_recovery_income_account_id", "account_recovery_income_id"),
    "provision_expense": ("loan_provision_expense_account_id", None),
    "provision": ("loan_provision_account_id", None),
}


class AccountAccount(models.Model):
    _inherit = "account.account"

    loan_account_role = fields.Selection(
        [
            ("receivable", "Loans to customers"),
            ("charges_receivable", "Interest and charges receivable"),
            ("interest_income", "Interest income"),
            ("fee_income", "Fee income"),
            ("penalty_income", "Penalty income"),
            ("write_off", "Write-offs"),
            ("recovery_income", "Recoveries"),
            ("provision_expense", "Provision expense"),
            ("provision", "Loan loss allowance"),
        ],
        "Lending Role",
        compute="_compute_loan_account_role",
        search="_search_loan_account_role",
        help="What the account is to lending: named by a company's lending accounts or a "
        "loan product's. The lending statement selects its accounts by it.",
    )

    @api.model
    def _loan_role_account_ids(self):
        """{role: set of account ids} from the companies' and products' accounts."""
        self.env["res.company"].flush_model()
        self.env["loan.product"].flush_model()
        cr = self.env.cr
        roles = {}
        for role, fnames in LOAN_ACCOUNT_ROLES.items():
            ids = set()
            for table, fname in zip(("res_company", "loan_product"), fnames, strict=True):
                if fname:
                    cr.execute(
                        SQL(
                            "SELECT DISTINCT %(col)s FROM %(table)s WHERE %(col)s IS NOT NULL",
                            col=SQL.identifier(fname),
                            table=SQL.identifier(table),
                        )
                    )
                    ids |= {row[0] for row in cr.fetchall()}
            roles[role] = ids
        return roles

    def _compute_loan_account_role(self):
        by_account = {}
        for role, ids in self._loan_role_account_ids().items():
            for account_id in ids:
                by_account.setdefault(account_id, role)
        for account in self:
            account.loan_account_role = by_account.get(account.id, False)

    def _search_loan_account_role(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        wanted = [value] if operator == "=" else list(value)
        roles = self._loan_role_account_ids()
        ids = set()
        for role in wanted:
            ids |= roles.get(role, set())
        return [("id", "in", list(ids))]
