from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoanMarketingCase


@tagged("post_install", "-at_install")
class TestCapture(LoanMarketingCase):
    def test_capture_encrypts_records_consent_and_touch(self):
        [result] = self.capture({"phone": "0381 234 567", "consent_marketing": "yes"})
        self.assertEqual(result["status"], "created")
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.env.flush_all()
        self.env.cr.execute("SELECT phone, loan_phone_enc FROM crm_lead WHERE id = %s", [lead.id])
        phone, token = self.env.cr.fetchone()
        self.assertFalse(phone, "no plain number in crm_lead.phone")
        self.assertTrue(token and "381234567" not in token)
        self.assertEqual(lead.loan_phone_mask, lead.loan_phone)
        self.assertNotIn("234", lead.loan_phone_mask[2:-3])
        self.assertEqual(lead._loan_lead_phone(), "+84381234567")
        self.assertEqual(lead.loan_source_id, self.source)
        self.assertEqual(lead.campaign_id, self.campaign)
        self.assertEqual(lead.loan_product_id, self.product)
        consents = self.env["loan.consent"].search([("partner_id", "=", lead.partner_id.id)])
        self.assertEqual(set(consents.mapped("purpose")), {"data_processing", "marketing"})
        self.assertEqual(set(consents.mapped("text_version")), {"T-1"})
        self.assertEqual(set(consents.mapped("channel")), {"web"})
        self.assertEqual(len(lead.loan_touch_ids), 1)
        self.assertTrue(lead.partner_id.loan_is_prospect)
        self.assertEqual(lead.partner_id.loan_phone_ids.number_mask, lead.loan_phone_mask)

    def test_silence_is_not_consent(self):
        [result] = self.capture({"phone": "0381234568", "consent_data": False})
        self.assertEqual(result["status"], "error")
        self.assertIn("consent", result["error"])
        [result] = self.capture({"phone": "0381234568"})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        purposes = self.env["loan.consent"].search([("partner_id", "=", lead.partner_id.id)])
        self.assertEqual(purposes.mapped("purpose"), ["data_processing"], "no marketing unasked")

    def test_repeat_is_a_touch_not_a_second_lead(self):
        first, same_batch, bad = self.capture(
            {"phone": "0381234569"}, {"phone": "+84 381 234 569"}, {"phone": "12"}
        )
        self.assertEqual(first["status"], "created")
        self.assertEqual(same_batch, {"status": "touch", "lead_id": first["lead_id"]})
        self.assertEqual(bad["status"], "error")
        [again] = self.capture({"phone": "038-123-4569"}, source=self.source2)
        self.assertEqual(again["status"], "touch")
        lead = self.env["crm.lead"].browse(first["lead_id"])
        touches = self.env["loan.lead.touch"].search([("lead_id", "=", lead.id)], order="sequence")
        self.assertEqual(touches.mapped("sequence"), [1, 2, 3])
        self.assertEqual(touches.source_id, self.source | self.source2)
        self.assertEqual(self.env["crm.lead"].search_count([("loan_phone", "=", "0381234569")]), 1)

    def test_platform_id_is_idempotent(self):
        [one] = self.capture({"phone": "0381234570", "external_id": "fb-1"})
        [two] = self.capture({"phone": "0381234570", "external_id": "fb-1"})
        self.assertEqual(two["status"], "duplicate")
        self.assertEqual(two["lead_id"], one["lead_id"])

    def test_existing_borrower_goes_to_the_officer(self):
        borrower = self.env["res.partner"].create(
            {
                "name": "Borrower Lan",
                "loan_is_borrower": True,
                "loan_user_id": self.consultant2.id,
                "loan_phone_ids": [(0, 0, {"number": "0381234571", "is_primary": True})],
            }
        )
        [result] = self.capture({"phone": "0381234571"})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertTrue(lead.loan_existing_borrower)
        self.assertEqual(lead.partner_id, borrower)
        self.assertEqual(lead.user_id, self.consultant2)

    def test_blacklisted_is_flagged_and_not_allocated(self):
        self.env["loan.blacklist.entry"].with_context(loan_blacklist_kind="phone").create(
            {"kind": "phone", "value": "0381234572", "reason": "Fraud ring"}
        )
        [result] = self.capture({"phone": "0381234572"})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        self.assertTrue(lead.loan_blacklisted)
        self.assertFalse(lead.user_id)

    def test_payload_kept_encrypted_with_masked_copy(self):
        payload = '{"phone_number": "0381234573", "full_name": "Hoa"}'
        [result] = self.capture({"phone": "0381234573", "payload": payload})
        touch = self.env["crm.lead"].browse(result["lead_id"]).loan_touch_ids
        self.assertNotIn("0381234573", touch.payload)
        self.assertIn("573", touch.payload)
        self.assertTrue(touch.payload_enc)
        self.assertNotIn("0381234573", touch.payload_enc)

    def test_typed_phone_on_a_lending_lead_is_encrypted(self):
        lead = self.env["crm.lead"].create(
            {"name": "Walk-in", "loan_product_id": self.product.id, "phone": "0381234574"}
        )
        self.assertFalse(lead.phone)
        self.assertTrue(lead.loan_phone_bidx)
        lead.write({"phone": "0381234575"})
        self.assertFalse(lead.phone)
        self.assertEqual(self.env["crm.lead"].search([("loan_phone", "=", "0381234575")]), lead)
        # a lead outside lending keeps Odoo's behaviour
        other = self.env["crm.lead"].create({"name": "Sofa", "phone": "0381234576"})
        self.assertEqual(other.phone, "0381234576")

    def test_consultant_sees_only_own_captured_leads(self):
        mine, theirs = self.capture({"phone": "0381234577"}, {"phone": "0381234578"})
        Lead = self.env["crm.lead"]
        mine, theirs = Lead.browse(mine["lead_id"]), Lead.browse(theirs["lead_id"])
        self.assertNotEqual(mine.user_id, theirs.user_id)
        officer = mine.user_id
        visible = Lead.with_user(officer).search([("loan_source_id", "!=", False)])
        self.assertIn(mine, visible)
        self.assertNotIn(theirs, visible)
        with self.assertRaises(AccessError):
            theirs.with_user(officer).read(["name"])
        # marketing reads every lending lead, masked
        rows = Lead.with_user(self.marketer).browse((mine | theirs).ids).read(["loan_phone"])
        self.assertTrue(all("*" in row["loan_phone"] for row in rows))

    def test_application_turns_the_prospect_into_the_borrower(self):
        [result] = self.capture(
            {"phone": "0381234579", "amount": 20_000_000, "term": 12, "income": 15_000_000}
        )
        lead = self.env["crm.lead"].browse(result["lead_id"])
        prospect = lead.partner_id
        lead.write({"loan_birth_date": "1990-01-01"})
        lead.with_user(lead.user_id).action_loan_create_application()
        self.assertEqual(lead.partner_id, prospect, "matched through the blind index")
        self.assertTrue(prospect.loan_is_borrower)
        self.assertEqual(prospect.loan_user_id, lead.user_id)
