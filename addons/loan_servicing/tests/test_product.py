from datetime import date
from decimal import Decimal

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestProduct(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(cls.env, "t_prod_admin", "loan_base.group_loan_admin")
        cls.officer = new_test_user(cls.env, "t_prod_officer", "loan_base.group_loan_officer")
        cls.vnd = cls.env.ref("base.VND")
        cls.usd = cls.env.ref("base.USD")
        (cls.vnd | cls.usd).active = True
        cls.product = (
            cls.env["loan.product"]
            .with_user(cls.admin)
            .create(
                {
                    "name": "Test cash loan",
                    "code": "T-CASH",
                    "currency_id": cls.vnd.id,
                    "min_amount": 5_000_000,
                    "max_amount": 70_000_000,
                    "min_term": 6,
                    "max_term": 36,
                    "rate": 28.0,
                    "max_rate": 35.0,
                    "schedule_method": "annuity",
                    "interest_basis": "daily",
                    "fee_ids": [
                        (0, 0, {"name": "Insurance", "fee_type": "insurance_percent", "value": 5}),
                        (
                            0,
                            0,
                            {"name": "Service", "fee_type": "service_instalment", "value": 12000},
                        ),
                    ],
                }
            )
        )

    def test_officer_reads_but_cannot_change_products(self):
        self.assertEqual(self.product.with_user(self.officer).rate, 28.0)
        with self.assertRaises(AccessError):
            self.product.with_user(self.officer).write({"rate": 10.0})

    def test_schedule_is_exact_in_vnd(self):
        result = self.product.with_user(self.officer)._loan_schedule(
            10_000_000, 12, date(2026, 1, 15)
        )
        lines = result["lines"]
        self.assertEqual(len(lines), 12)
        self.assertEqual(sum(line.principal for line in lines), Decimal(10_000_000))
        self.assertEqual(lines[-1].closing_balance, 0)
        for line in lines:
            self.assertEqual(line.instalment, line.instalment.to_integral_value())  # VND: 0 dp
            self.assertEqual(line.instalment, line.principal + line.interest)
        self.assertEqual([line.due_date.day for line in lines], [15] * 12)
        self.assertEqual(result["upfront_fees"], Decimal(500_000))
        # fees make the effective rate exceed the nominal one
        self.assertGreater(result["eir"], Decimal("0.28"))

    def test_periodic_annuity_reproduces_ppmt_vector(self):
        product = self.product.copy(
            {
                "code": "T-USD",
                "currency_id": self.usd.id,
                "min_amount": 1000,
                "max_amount": 100_000,
                "max_term": 60,
                "rate": 10.0,
                "max_rate": 0,
                "interest_basis": "periodic",
                "fee_ids": [],
            }
        )
        lines = product._loan_schedule(55_000, 60, date(2026, 1, 31))["lines"]
        # numpy-financial: pmt(0.1/12, 60, 55000) = -1168.5875, ppmt(..., 1, ...) = -710.25;
        # in cents the instalment rounds to 1168.59 and period 1's interest to 458.33
        self.assertEqual(lines[0].instalment, Decimal("1168.59"))
        self.assertEqual(lines[0].interest, Decimal("458.33"))
        self.assertLessEqual(abs(lines[0].principal - Decimal("710.25")), Decimal("0.01"))
        self.assertEqual(sum(line.principal for line in lines), Decimal(55_000))
        self.assertEqual(
            [line.due_date for line in lines[:3]],
            [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)],
        )

    def test_requests_outside_the_product_are_refused(self):
        product = self.product.with_user(self.officer)
        cases = [
            (80_000_000, 12, None, "outside the product's range"),
            (0, 12, None, "must be positive"),
            (-5, 12, None, "must be positive"),
            (10_000_000, 48, None, "term of 48 instalments"),
            (10_000_000, 12, 40.0, "above the product's cap"),
        ]
        for amount, term, rate, message in cases:
            with self.subTest(amount=amount, term=term, rate=rate):
                with self.assertRaises(UserError) as err:
                    product._loan_schedule(amount, term, date(2026, 1, 15), rate=rate)
                self.assertIn(message, str(err.exception))
        with self.assertRaises(UserError) as err:
            product._loan_check_request(1, 99)
        self.assertEqual(len(str(err.exception).splitlines()), 3, "every problem at once")

    def test_calculator_as_officer(self):
        with Form(self.env["loan.calculator"].with_user(self.officer)) as calc:
            calc.product_id = self.product
            calc.amount = 20_000_000
            calc.term = 24
            calc.start_date = date(2026, 3, 10)
            self.assertFalse(calc.error)
            self.assertGreater(calc.eir, 28.0)
            self.assertIn("2028-03-10", calc.schedule_html)
            self.assertAlmostEqual(
                calc.total_payable, calc.total_interest + calc.total_fees + 20_000_000, places=0
            )
            calc.amount = 1_000
            self.assertIn("outside the product's range", calc.error)
            self.assertFalse(calc.schedule_html)

    def test_bad_product_configuration(self):
        Product = self.env["loan.product"].with_user(self.admin)
        base = {"name": "Bad", "code": "BAD", "currency_id": self.vnd.id, "rate": 10}
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            Product.create(dict(base, min_amount=10, max_amount=5))
        with self.assertRaises(ValidationError):
            Product.create(dict(base, min_amount=1, max_amount=5, max_rate=5))
        with self.assertRaises(ValidationError):
            Product.create(dict(base, min_amount=1, max_amount=5, min_term=6, grace_principal=6))
        with self.assertRaises(ValidationError):
            self.product.fee_ids[0].with_user(self.admin).value = 150
