from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestBorrower360(LoanOriginationCommon):
    """From the borrower to their applications, contracts and receipts; receivables per
    customer."""

    def test_smart_buttons_count_what_the_role_sees(self):
        contract = self._active_contract()
        self._pay(contract, 1_000_000)
        borrower = self.borrower
        as_officer = borrower.with_user(self.officer)
        self.assertEqual(as_officer.loan_application_count, 2)
        self.assertEqual(as_officer.loan_contract_count, 1)
        action = as_officer.action_loan_view_contracts()
        self.assertEqual(
            self.env["loan.contract"].with_user(self.officer).search(action["domain"]), contract
        )
        # another consultant sees none of them
        self.assertEqual(borrower.with_user(self.officer2).loan_contract_count, 0)
        as_accountant = borrower.with_user(self.accountant)
        self.assertEqual(as_accountant.loan_receipt_count, 1)
        action = as_accountant.action_loan_view_receipts()
        self.assertEqual(
            self.env["loan.receipt"].with_user(self.accountant).search_count(action["domain"]), 1
        )
        # people outside lending read contacts without the lending counts
        contact = self.internal.partner_id.with_user(self.internal)
        self.assertTrue(contact.read(["name", "display_name"]))
        with self.assertRaises(AccessError):
            contact.read(["loan_contract_count"])

    def test_receivables_per_customer(self):
        contract = self._active_contract()
        Report = self.env["loan.receivable.report"].with_user(self.accountant)
        line = Report.search([("partner_id", "=", self.borrower.id)])
        self.assertEqual(len(line), 1)
        self.assertEqual(line.outstanding_principal, 20_000_000)
        self.assertEqual(line.currency_id.name, "VND")
        self.assertEqual(line.company_id, contract.company_id)
        self.assertEqual(line.contract_count, 1)
        self.assertEqual(line.overdue_amount, contract.overdue_amount)
        # the next instalment not yet due (the view reads the database's date)
        self.env.cr.execute("SELECT CURRENT_DATE")
        today = self.env.cr.fetchone()[0]
        upcoming = contract.line_ids.filtered(lambda x: x.due_date >= today).sorted("due_date")
        self.assertEqual(line.next_due_date, upcoming[:1].due_date)
        self.assertEqual(line.next_due_amount, upcoming[:1].amount_open)
        self.assertGreaterEqual(line.total_outstanding, line.outstanding_principal)
        with self.assertRaises(AccessError):
            self.env["loan.receivable.report"].with_user(self.officer).search([])

    def test_lists_people_total_have_sums_filters_and_groups(self):
        expected = {
            "loan.contract": (
                {"amount", "outstanding_principal", "overdue_amount"},
                {"overdue", "dpd_1_30", "group_product", "group_user", "group_team"},
            ),
            "loan.receipt": ({"amount"}, {"posted", "group_partner", "group_date"}),
            "loan.contract.dpd": (
                {"overdue_amount", "outstanding_principal"},
                {"overdue", "group_contract", "group_classification"},
            ),
            "loan.receivable.report": (
                {"outstanding_principal", "total_outstanding", "overdue_amount"},
                {"overdue", "group_user"},
            ),
        }
        for model, (sums, filters) in expected.items():
            views = (
                self.env[model]
                .with_user(self.accountant)
                .get_views([(False, "list"), (False, "search")])["views"]
            )
            listed = etree.fromstring(views["list"]["arch"])
            summed = {node.get("name") for node in listed.iterfind(".//field[@sum]")}
            self.assertLessEqual(sums, summed, model)
            self.assertTrue(listed.xpath("//field[@name='currency_id']"), model)
            search = etree.fromstring(views["search"]["arch"])
            names = {node.get("name") for node in search.iterfind(".//filter")}
            self.assertLessEqual(filters, names, model)
