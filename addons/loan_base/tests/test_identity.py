from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LoanBaseCommon


@tagged("post_install", "-at_install")
class TestIdentity(LoanBaseCommon):
    """Bad identity and phone input is refused with a clear message, and nothing is written."""

    def _create_as_officer(self, **vals):
        base = {
            "name": "Bad Input Person",
            "loan_is_borrower": True,
            "country_id": self.vn.id,
            "loan_birth_date": "2001-05-05",
            "loan_gender": "male",
            "loan_id_type": "vn_cccd",
        }
        return self.env["res.partner"].with_user(self.officer).create(dict(base, **vals))

    def _assert_nothing_written(self):
        self.assertFalse(
            self.env["res.partner"].sudo().search_count([("name", "=", "Bad Input Person")]),
            "a refused borrower must not be half-written",
        )

    def test_cccd_eleven_digits(self):
        with self.assertRaises(ValidationError) as err:
            self._create_as_officer(loan_id_number="07920100123")
        self.assertIn("12 digits; 11 were given", str(err.exception))
        self._assert_nothing_written()

    def test_cccd_century_contradicts_birth_date(self):
        # G=0, YY=90: a man born in 1990, but the birth date says 2001
        with self.assertRaises(ValidationError) as err:
            self._create_as_officer(loan_id_number="079090001234")
        self.assertIn("birth year of 1990", str(err.exception))
        self._assert_nothing_written()

    def test_cccd_gender_contradicts(self):
        # G=3: a woman born in the 2000s, but the person is recorded as male
        with self.assertRaises(ValidationError) as err:
            self._create_as_officer(loan_id_number="079301001234")
        self.assertIn("gender", str(err.exception))
        self._assert_nothing_written()

    def test_cccd_valid_is_accepted_and_masked(self):
        partner = self._create_as_officer(loan_id_number="079 201 001 234")
        self.assertEqual(partner.loan_id_number, "079******234")
        self.assertEqual(partner.loan_id_number_mask, "079******234")

    def test_resident_id_wrong_check_character(self):
        with self.assertRaises(ValidationError) as err:
            self._create_as_officer(
                loan_id_type="cn_ric",
                loan_id_number="110105194912310021",
                loan_birth_date="1949-12-31",
                loan_gender="female",
            )
        self.assertIn("check character", str(err.exception))
        self._assert_nothing_written()

    def test_resident_id_valid(self):
        partner = self._create_as_officer(
            loan_id_type="cn_ric",
            loan_id_number="11010519491231002x",
            loan_birth_date="1949-12-31",
            loan_gender="female",
        )
        self.assertEqual(partner._loan_pii_plain("loan_id_number"), "11010519491231002X")

    def test_unparseable_phone(self):
        with self.assertRaises(ValidationError) as err:
            self._create_as_officer(
                loan_id_number="079201001234",
                loan_phone_ids=[(0, 0, {"number": "call me maybe"})],
            )
        self.assertIn("cannot be read as a phone number", str(err.exception))
        self._assert_nothing_written()

    def test_changing_birth_date_rechecks_id(self):
        with self.assertRaises(ValidationError) as err:
            self.borrower.with_user(self.officer).loan_birth_date = "1985-03-14"
        self.assertIn("birth year", str(err.exception))

    def test_error_is_translated(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        with self.assertRaises(ValidationError) as err:
            self.env["res.partner"].with_user(self.officer).with_context(lang="vi_VN").create(
                {
                    "name": "Bad Input Person",
                    "loan_is_borrower": True,
                    "loan_id_type": "vn_cccd",
                    "loan_id_number": "07920100123",
                }
            )
        self.assertIn("12 chữ số", str(err.exception))
