from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSubledgerDemo(TransactionCase):
    """On the demo data, the sub-ledger equals the books, today and at every month end."""

    def test_demo_subledger_equals_the_books(self):
        accountant = self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False)
        if not accountant:
            self.skipTest("the demo users are installed with demo data only")
        Sub = self.env["report.loan.subledger"].with_user(accountant)
        self.assertTrue(Sub.search_count([("kind", "=", "current")]))
        self.assertTrue(Sub.search_count([("kind", "=", "month_end")]))
        differing = Sub.search([("reason", "!=", "ok")])
        self.assertFalse(
            differing,
            [(r.contract_id.name, r.date, r.reason, r.difference) for r in differing],
        )
