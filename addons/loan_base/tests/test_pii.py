import json
import os
import tempfile
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..engine.exceptions import EngineError
from ..engine.pii import Keyring, aad_for
from ..tools import keyring as keyring_tools
from .common import LoanBaseCommon


@tagged("post_install", "-at_install")
class TestPii(LoanBaseCommon):
    def test_database_holds_no_plain_value(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT loan_id_number_enc, loan_id_number_bidx, loan_id_number_mask,"
            " loan_bank_account_enc FROM res_partner WHERE id = %s",
            [self.borrower.id],
        )
        enc, bidx, masked, bank = self.env.cr.fetchone()
        self.assertTrue(enc.startswith("v1."))
        self.assertEqual(masked, "079******567")
        for column in (enc, bidx, masked, bank):
            self.assertNotIn("079195000567", column)
            self.assertNotIn("0071000123456", column)
        self.env.cr.execute(
            "SELECT number_enc, number_mask FROM loan_partner_phone WHERE id = %s", [self.mobile.id]
        )
        enc, masked = self.env.cr.fetchone()
        self.assertEqual(masked, "090****567")
        self.assertNotIn("901111567", enc)

    def test_value_is_bound_to_its_record(self):
        """A token copied onto another record does not decrypt there (associated data)."""
        other = self.env["res.partner"].create({"name": "Other"})
        token = self.borrower.sudo().loan_id_number_enc
        keyring = keyring_tools.get_keyring()
        self.assertEqual(
            keyring.decrypt(token, aad_for("res.partner", self.borrower.id, "loan_id_number")),
            "079195000567",
        )
        with self.assertRaises(EngineError):
            keyring.decrypt(token, aad_for("res.partner", other.id, "loan_id_number"))

    def test_collector_sees_masked_and_cannot_reveal(self):
        borrower = self.borrower.with_user(self.collector)
        self.borrower.loan_user_id = self.collector  # in the collector's own portfolio
        self.assertEqual(borrower.loan_id_number, "079******567")
        self.assertEqual(borrower.loan_phone_mask, "090****567")
        self.assertEqual(borrower.loan_bank_account, "*********3456")
        with self.assertRaises(AccessError):
            borrower.read(["loan_id_number_enc"])
        with self.assertRaises(AccessError):
            borrower.loan_pii_reveal("loan_id_number", "I want to see it")
        self.assertFalse(self.env["loan.pii.reveal.log"].search([]))

    def test_compliance_reveals_with_reason_and_it_is_logged(self):
        borrower = self.borrower.with_user(self.compliance)
        with self.assertRaises(UserError):
            borrower.loan_pii_reveal("loan_id_number", "  ")
        self.assertEqual(
            borrower.loan_pii_reveal("loan_id_number", "Police request no. 42"), "079195000567"
        )
        phone = self.mobile.with_user(self.compliance)
        self.assertEqual(
            phone.loan_pii_reveal("number", "Customer disputes the number"), "+84901111567"
        )
        logs = self.env["loan.pii.reveal.log"].with_user(self.compliance).search([])
        self.assertEqual(len(logs), 2)
        log = logs.filtered(lambda lg: lg.field_name == "loan_id_number")
        self.assertEqual(log.user_id, self.compliance)
        self.assertEqual(log.partner_id, self.borrower)
        self.assertEqual(log.reason, "Police request no. 42")
        self.assertTrue(log.create_date)
        with self.assertRaises(UserError):
            log.write({"reason": "changed"})

    def test_reveal_wizard_shows_value_without_storing_it(self):
        wizard = (
            self.env["loan.pii.reveal"]
            .with_user(self.compliance)
            .create(
                {
                    "partner_id": self.borrower.id,
                    "target": "phone",
                    "phone_id": self.mobile.id,
                    "reason": "Verification call",
                }
            )
        )
        action = wizard.action_reveal()
        self.assertEqual(action["params"]["message"], "+84901111567")
        self.env.flush_all()
        self.env.cr.execute("SELECT * FROM loan_pii_reveal WHERE id = %s", [wizard.id])
        self.assertNotIn("901111567", json.dumps(self.env.cr.fetchall(), default=str))

    def test_search_by_phone_and_id_through_blind_index(self):
        partners = self.env["res.partner"].with_user(self.officer)
        for typed in ("0901111567", "+84 90 111 15 67", "090-111-1567"):
            self.assertEqual(partners.search([("loan_phone", "=", typed)]), self.borrower)
        self.assertEqual(partners.search([("loan_id_number", "=", "079195000567")]), self.borrower)
        self.assertFalse(partners.search([("loan_phone", "=", "0901234568")]))
        self.assertEqual(partners._loan_find_borrowers(phone="0283 812 9999"), self.borrower.sudo())

    def test_key_rotation(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "keys.json")
            keyring_tools.get_keyring().save(path)
            with patch.dict(os.environ, {"LOAN_PII_KEY_FILE": path}):
                keyring_tools.clear_cache()
                try:
                    old = Keyring.load(path)
                    new = Keyring.load(path)
                    new.add_key()
                    new.save(path)
                    # what `odoo-bin loan_pii rotate` runs: every model with protected fields
                    rewritten = self.env["loan.pii.mixin"]._loan_pii_reencrypt_models()
                    self.assertGreaterEqual(rewritten, 5)
                    self.env.invalidate_all()
                    self.assertEqual(
                        self.borrower._loan_pii_plain("loan_id_number"), "079195000567"
                    )
                    self.assertEqual(self.mobile._loan_pii_plain("number"), "+84901111567")
                    token = self.borrower.sudo().loan_id_number_enc
                    self.assertFalse(new.needs_rotation(token))
                    aad = aad_for("res.partner", self.borrower.id, "loan_id_number")
                    with self.assertRaises(EngineError):
                        old.decrypt(token, aad)
                    # a second run has nothing left to rewrite
                    self.assertEqual(self.env["res.partner"]._loan_pii_reencrypt_all(), 0)
                finally:
                    keyring_tools.clear_cache()
