from odoo.addons.loan_base.tests.http_common import WebClientCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDemoFormsOpen(WebClientCase):
    """On the demo data, each lending role opens the records of their work and their
    chatter as the web client does (form, then the chatter's requests), without an access
    error: appraisers their applications, collectors and team leads their cases, the
    cases' contracts and fraud referrals."""

    def _demo_user(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        if not user:
            self.skipTest("no demo data")
        return user

    def _open_all(self, login, model, chatter=True):
        user = self._demo_user(login)
        records = self.env[model].with_user(user).search([])
        self.assertTrue(records, "%s has %s to open" % (login, model))
        self._login(user)
        for record in records:
            with self.subTest(login=login, record=record.display_name):
                self.open_form(record)
                if chatter:
                    self.open_chatter(record)

    def test_appraiser_opens_applications(self):
        self._open_all("appraiser", "loan.application")

    def test_collectors_and_lead_open_cases(self):
        for login in ("collector", "collector2", "teamlead"):
            self._open_all(login, "loan.collection.case")
            self._open_all(login, "loan.contract")

    def test_lead_opens_fraud_referrals(self):
        self._open_all("teamlead", "loan.fraud.referral")

    def test_every_role_opens_the_borrowers_it_sees(self):
        """The borrower's form (the borrower file's staff-only fields included) and its
        chatter, for every lending role, on a few of the borrowers the role may read."""
        logins = (
            "consultant",
            "appraiser",
            "approver",
            "collector",
            "collector2",
            "teamlead",
            "accountant",
            "compliance",
            "manager",
            "lendingadmin",
            "cn_consultant",
        )
        for login in logins:
            user = self._demo_user(login)
            borrowers = (
                self.env["res.partner"]
                .with_user(user)
                .search([("loan_is_borrower", "=", True)], limit=3)
            )
            self.assertTrue(borrowers, "%s reads borrowers" % login)
            self._login(user)
            for borrower in borrowers:
                # Odoo's account computes a multi-company user's invoiced total through a
                # temporary table: the read-only request is retried read/write, and logged
                with (
                    self.subTest(login=login, borrower=borrower.display_name),
                    mute_logger("odoo.sql_db", "odoo.http"),
                ):
                    self.open_form(borrower)
                    self.open_chatter(borrower)
