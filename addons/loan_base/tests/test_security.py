from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoanBaseCommon


@tagged("post_install", "-at_install")
class TestSecurity(LoanBaseCommon):
    def test_groups_are_chained(self):
        admin = self.lending_admin
        for xmlid in (
            "loan_base.group_loan_manager",
            "loan_base.group_loan_approver",
            "loan_base.group_loan_appraiser",
            "loan_base.group_loan_officer",
            "loan_base.group_loan_collection_lead",
            "loan_base.group_loan_collector",
            "loan_base.group_loan_accountant",
            "loan_base.group_loan_compliance",
        ):
            self.assertTrue(admin.has_group(xmlid), xmlid)
        # plain personal data: only for people given the right by name, implied by no role
        reveal = self.env.ref("loan_base.group_loan_pii_reveal")
        self.assertFalse(admin.has_group("loan_base.group_loan_pii_reveal"))
        self.assertFalse(
            self.env["res.groups"].search([("implied_ids", "in", reveal.ids)]),
            "no group implies the reveal group",
        )
        self.assertFalse(self.collector.has_group("loan_base.group_loan_officer"))
        self.assertFalse(self.collector.has_group("loan_base.group_loan_pii_reveal"))

    def test_user_without_lending_role_sees_no_borrower(self):
        partners = self.env["res.partner"].with_user(self.internal)
        self.assertFalse(partners.search([("id", "=", self.borrower.id)]))
        with self.assertRaises(AccessError):
            self.borrower.with_user(self.internal).read(["name"])
        with self.assertRaises(AccessError):
            self.reference.with_user(self.internal).read(["loan_phone_mask"])
        with self.assertRaises(AccessError):
            self.env["loan.partner.phone"].with_user(self.internal).search([])
        # ordinary contacts stay visible
        self.assertTrue(self.reference.with_user(self.internal).read(["name"]))

    def test_own_team_all(self):
        mine = (
            self.env["res.partner"]
            .with_user(self.officer)
            .search([("loan_is_borrower", "=", True)])
        )
        self.assertIn(self.borrower, mine)
        other = (
            self.env["res.partner"]
            .with_user(self.officer2)
            .search([("loan_is_borrower", "=", True)])
        )
        self.assertNotIn(self.borrower, other)
        # the collector is not the owner; their team lead sees the team's borrowers
        self.assertNotIn(
            self.borrower,
            self.env["res.partner"]
            .with_user(self.collector)
            .search([("loan_is_borrower", "=", True)]),
        )
        self.assertIn(
            self.borrower,
            self.env["res.partner"]
            .with_user(self.teamlead)
            .search([("loan_is_borrower", "=", True)]),
        )
        self.assertIn(
            self.borrower,
            self.env["res.partner"]
            .with_user(self.compliance)
            .search([("loan_is_borrower", "=", True)]),
        )
        with self.assertRaises(AccessError):
            self.mobile.with_user(self.officer2).read(["number"])

    def test_other_company_hidden(self):
        other_company = self.env["res.company"].create(
            {"name": "Other Lender", "country_id": self.vn.id}
        )
        phone = self.env["loan.partner.phone"].create(
            {
                "partner_id": self.env["res.partner"]
                .create({"name": "Elsewhere", "company_id": other_company.id})
                .id,
                "number": "0909000111",
            }
        )
        self.assertFalse(
            self.env["loan.partner.phone"]
            .with_user(self.compliance)
            .search([("id", "=", phone.id)])
        )

    def test_configuration_is_admin_only(self):
        with self.assertRaises(AccessError):
            self.policy_vn.with_user(self.teamlead).write({"daily_cap": 50})
        self.policy_vn.with_user(self.lending_admin).write({"daily_cap": 4})
        self.assertEqual(self.policy_vn.daily_cap, 4)
