from decimal import ROUND_HALF_UP, Decimal
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.loan_base.engine.pii import Keyring
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestApplication(LoanOriginationCommon):
    def test_prequalification_with_reasons(self):
        lead = self._lead()
        self.assertEqual(lead.loan_prequal_state, "qualified")
        lead.loan_amount = 90_000_000
        self.assertEqual(lead.loan_prequal_state, "not_qualified")
        self.assertIn("outside the product's range", lead.loan_prequal_reasons)
        lead.write({"loan_amount": 60_000_000, "loan_stated_income": 6_000_000})
        self.assertIn("Instalment-to-income", lead.loan_prequal_reasons)
        lead.loan_birth_date = fields.Date.today() - relativedelta(years=10)
        self.assertIn("Younger than", lead.loan_prequal_reasons)
        with self.assertRaises(UserError):
            lead.action_loan_create_application()

    def test_lead_to_application_matches_partner_by_blind_index(self):
        lead = self._lead()
        self.assertEqual(lead.loan_id_number, "079******456")
        action = lead.action_loan_create_application()
        app = self.env["loan.application"].with_user(self.officer).browse(action["res_id"])
        partner = app.partner_id
        self.assertEqual(app.lead_id, lead)
        self.assertTrue(partner.loan_is_borrower)
        self.assertEqual(partner.sudo()._loan_pii_plain("loan_id_number"), "079190123456")
        self.assertEqual(partner.sudo().loan_phone_mask, "093****777")
        self.assertFalse(partner.phone, "the plain phone is not copied onto the partner")
        self.assertEqual(len(app.document_ids), 3, "checklist from the product")
        # a second lead with the same ID number (other phone) finds the same borrower
        lead2 = self._lead(name="Second request", phone="0911 000 111")
        app2 = self.env["loan.application"].browse(lead2.action_loan_create_application()["res_id"])
        self.assertEqual(app2.partner_id, partner)
        # and one with only the same phone, typed differently, too
        lead3 = self._lead(
            name="Third", phone="+84 938 555 777", loan_id_number=False, loan_id_type=False
        )
        app3 = self.env["loan.application"].browse(lead3.action_loan_create_application()["res_id"])
        self.assertEqual(app3.partner_id, partner)
        self.assertEqual(
            self.env["res.partner"].sudo().search_count([("loan_id_number", "=", "079190123456")]),
            1,
        )

    def test_lead_matching_a_customer_outside_the_portfolio_names_nobody(self):
        lead_user = new_test_user(self.env, "t_orig_lead", "loan_base.group_loan_appraiser")
        self.env["loan.team"].create(
            {
                "name": "Sales 2",
                "kind": "origination",
                "leader_id": lead_user.id,
                "member_ids": [(6, 0, self.officer2.ids)],
            }
        )
        # the same ID number as another officer's borrower
        vals = {"loan_id_number": "079195000567", "phone": "0977 000 001"}
        lead = self._lead(user=self.officer2, **vals)
        with self.assertRaises(UserError) as err:
            lead.action_loan_create_application()
        message = str(err.exception)
        self.assertIn("outside your portfolio", message)
        self.assertIn(lead_user.name, message)
        self.assertNotIn(self.borrower.name, message)
        self.assertFalse(lead.partner_id)
        self.assertFalse(self.env["loan.application"].search([("lead_id", "=", lead.id)]))
        # the borrower's own officer is matched to the borrower
        mine = self._lead(**vals)
        action = mine.action_loan_create_application()
        self.assertEqual(
            self.env["loan.application"].browse(action["res_id"]).partner_id, self.borrower
        )

    def test_stage_moves_refused_with_missing_items(self):
        app = self._application()
        self.assertEqual(app.stage_id, self.stage["received"])
        app.action_next_stage()
        self.assertEqual(app.stage_id, self.stage["documents"])
        with self.assertRaises(UserError) as err:
            app.action_next_stage()
        message = str(err.exception)
        for name in ("ID card, front", "ID card, back", "Signed application form"):
            self.assertIn(name, message)
        self.assertEqual(app.stage_id, self.stage["documents"])
        app.document_ids.write({"state": "received"})
        app.action_next_stage()
        self.assertEqual(app.stage_id, self.stage["verification"])
        # the verification stage belongs to appraisers and wants verified documents and checks
        with self.assertRaises(UserError) as err:
            app.action_next_stage()
        self.assertIn("Only", str(err.exception))
        as_appraiser = app.with_user(self.appraiser)
        with self.assertRaises(UserError) as err:
            as_appraiser.action_next_stage()
        self.assertIn("Verified document: ID card, front", str(err.exception))
        self.assertIn("Check: Reference check", str(err.exception))
        # skipping stages does not skip their requirements
        with self.assertRaises(UserError):
            as_appraiser.stage_id = self.env.ref("loan_origination.loan_application_stage_approval")
        # rejecting is always possible
        as_appraiser.stage_id = self.stage["rejected"]
        self.assertEqual(app.stage_kind, "rejected")
        with self.assertRaises(UserError):
            as_appraiser.stage_id = self.stage["documents"]

    def test_admin_added_stage_with_required_check(self):
        check = (
            self.env["loan.check.type"]
            .with_user(self.lending_admin)
            .create({"name": "Social media check", "code": "SOCIAL"})
        )
        stage = (
            self.env["loan.application.stage"]
            .with_user(self.lending_admin)
            .create({"name": "Social check", "sequence": 15, "check_type_ids": [(6, 0, check.ids)]})
        )
        app = self._application()
        app.action_next_stage()
        self.assertEqual(app.stage_id, stage)
        with self.assertRaises(UserError) as err:
            app.action_next_stage()
        self.assertIn("Check: Social media check", str(err.exception))
        self.env["loan.verification"].with_user(self.appraiser).create(
            {"application_id": app.id, "check_type_id": check.id, "result": "pass"}
        )
        app.action_next_stage()
        self.assertEqual(app.stage_id, self.stage["documents"])

    def test_roles(self):
        with self.assertRaises(AccessError):
            self._application(user=self.collector)
        app = self._application()
        # the appraiser sees the team's applications, another officer does not
        self.assertIn(app, self.env["loan.application"].with_user(self.appraiser).search([]))
        self.assertNotIn(app, self.env["loan.application"].with_user(self.officer2).search([]))
        self.assertIn(app, self.env["loan.application"].with_user(self.approver).search([]))
        with self.assertRaises(AccessError):
            self.env["loan.check.type"].with_user(self.officer).create({"name": "X", "code": "X"})

    def test_request_missing_documents_through_the_gate(self):
        app = self._application()
        attempt = app.action_request_documents()
        self.assertEqual(attempt.partner_id, self.borrower)
        self.assertEqual(attempt.res_model, "loan.application")
        self.assertIn(attempt.state, ("sent", "blocked"))
        self.assertTrue(attempt.reason)
        app.document_ids.write({"state": "received"})
        with self.assertRaises(UserError):
            app.action_request_documents()

    def test_bad_requests_are_refused(self):
        with self.assertRaises(Exception) as err:
            self.env["loan.application"].with_user(self.officer).create(
                {
                    "partner_id": self.borrower.id,
                    "product_id": self.product.id,
                    "amount": 90_000_000,
                    "term": 12,
                }
            )
        self.assertIn("outside the product's range", str(err.exception))

    def test_field_visit_passes_the_gate_and_sets_the_field_check(self):
        app = self._application()
        Visit = self.env["loan.field.visit"].with_user(self.appraiser)
        visit = Visit.create(
            {
                "application_id": app.id,
                "appointment": "2026-11-20 03:00:00",
                "address": "45 Lê Lợi",
                "result": "confirmed",
                "latitude": 10.7731,
                "longitude": 106.7004,
            }
        )
        with freeze_time("2026-11-20 15:30:00"):  # 22:30 in Ho Chi Minh City
            action = visit.action_done()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertEqual(visit.state, "planned")
        self.assertFalse(app.verification_ids)
        with freeze_time("2026-11-20 03:30:00"):  # 10:30 local
            visit.action_done()
        self.assertEqual(visit.state, "done")
        check = app.verification_ids
        self.assertEqual(check.check_type_id.code, "FIELD")
        self.assertEqual(check.result, "pass")
        attempts = self.env["loan.outreach.attempt"].search([("partner_id", "=", self.borrower.id)])
        self.assertEqual(sorted(attempts.mapped("state")), ["blocked", "sent"])
        with self.assertRaises(AccessError):
            Visit.with_user(self.officer).create(
                {"application_id": app.id, "appointment": "2026-11-21 03:00:00", "address": "x"}
            )

    @freeze_time("2026-11-20 03:00:00")
    def test_scoring_as_appraiser(self):
        app = self._scored_setup()
        with self.assertRaises(AccessError):
            app.with_user(self.officer2).action_score()
        app.with_user(self.appraiser).action_score()
        # 200 base + age 31 (45) + income 15M (35) + DTI 12.9% (50) + salaried (40)
        # + years at address unknown (5) + residence unknown (5)
        self.assertEqual(app.score, 380)
        self.assertEqual((app.grade, app.recommendation), ("A", "approve"))
        self.assertEqual(app.reason_codes, "years_at_address, residence_type, monthly_income")
        self.assertAlmostEqual(app.dti, 12.84, delta=0.1)
        self.assertEqual(app.scored_by_id, self.appraiser)
        self.assertFalse(app.fraud_signals)

    def test_blacklist_matches_by_blind_index_without_decrypting(self):
        Entry = self.env["loan.blacklist.entry"].with_user(self.compliance)
        by_phone = Entry.create({"kind": "phone", "value": "0901 111 567", "reason": "Fraud ring"})
        by_id = Entry.create({"kind": "identity", "value": "079-195-000-567", "reason": "Forged"})
        Entry.create({"kind": "phone", "value": "0912 000 000", "reason": "Someone else"})
        with patch.object(Keyring, "decrypt", side_effect=AssertionError("a value was decrypted")):
            found = Entry._matches(self.borrower)
        self.assertEqual(found, by_phone | by_id)
        self.assertFalse(Entry._matches(self.reference), "nothing of the reference is listed")

    @freeze_time("2026-11-20 03:00:00")
    def test_fraud_signals_and_exposure(self):
        app = self._scored_setup()
        self.env["res.partner"].create(
            {
                "name": "Somebody Else",
                "country_id": self.vn.id,
                "loan_phone_ids": [(0, 0, {"number": "+84901111567"})],
            }
        )
        self.env["loan.blacklist.entry"].with_user(self.compliance).create(
            {"kind": "identity", "value": "079 195 000 567", "reason": "Forged documents in 2025"}
        )
        app.with_user(self.appraiser).action_score()
        self.assertIn("phone of the applicant belongs to 1 other person", app.fraud_signals)
        self.assertIn("blacklist", app.fraud_signals)
        self.assertEqual(app.recommendation, "refer", "a fraud signal never leaves an approve")
        self.product.max_exposure = 30_000_000
        self._application()  # another open request of 20M for the same borrower
        app.with_user(self.appraiser).action_score()
        self.assertEqual(app.exposure, 40_000_000)
        self.assertEqual(app.recommendation, "decline")
        self.assertIn("exposure", app.reason_codes)

    def test_stage_requires_score(self):
        self._scored_setup()
        analysis = self.env.ref("loan_origination.loan_application_stage_analysis")
        app = self._application(stage_id=analysis.id, stated_income=15_000_000)
        with self.assertRaises(UserError) as err:
            app.with_user(self.appraiser).action_next_stage()
        self.assertIn("Credit score", str(err.exception))
        app.with_user(self.appraiser).action_score()
        app.with_user(self.appraiser).action_next_stage()
        self.assertEqual(
            app.stage_id, self.env.ref("loan_origination.loan_application_stage_approval")
        )

    @freeze_time("2026-11-20 03:00:00")
    def test_approval_by_matrix_with_maker_checker(self):
        app = self._at_decision()
        self.assertEqual(app.grade, "A")
        self.assertEqual(app.approver_group_id, self.env.ref("loan_base.group_loan_approver"))
        approve = self._reasons("approve")
        # the appraiser who scored it may not decide, nor may its officer
        for maker in (self.appraiser, self.officer):
            with self.assertRaises(UserError):
                app.with_user(maker)._decide("approved", approve)
        # an approver who scored it himself is a maker too
        other = self._at_decision()
        other.with_user(self.approver).action_score()
        with self.assertRaises(UserError) as err:
            other.with_user(self.approver)._decide("approved", approve)
        self.assertIn("another approver", str(err.exception))
        # reasons are required
        with self.assertRaises(UserError):
            app.with_user(self.approver)._decide("approved", self._reasons("none"))
        app.with_user(self.approver)._decide("approved", approve, "Stable salaried income")
        self.assertEqual(app.decision, "approved")
        self.assertEqual(app.decided_by_id, self.approver)
        self.assertEqual(
            app.stage_id, self.env.ref("loan_origination.loan_application_stage_contract")
        )

    @freeze_time("2026-11-20 03:00:00")
    def test_large_amount_goes_to_manager(self):
        app = self._at_decision(amount=60_000_000)
        manager = self.env.ref("loan_base.group_loan_manager")
        self.assertEqual(app.approver_group_id, manager)
        with self.assertRaises(UserError) as err:
            app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        self.assertIn("approval matrix", str(err.exception))
        boss = new_test_user(self.env, "t_manager", "loan_base.group_loan_manager")
        app.with_user(boss)._decide("approved", self._reasons("approve"))
        self.assertEqual(app.decision, "approved")

    @freeze_time("2026-11-20 03:00:00")
    def test_decline_notifies_through_the_gate(self):
        app = self._at_decision()
        app.with_user(self.approver)._decide("declined", self._reasons("decline"))
        self.assertEqual(app.stage_kind, "rejected")
        attempt = self.env["loan.outreach.attempt"].search(
            [("res_model", "=", "loan.application"), ("res_id", "=", app.id)]
        )
        self.assertEqual(attempt.partner_id, self.borrower)
        self.assertEqual(
            attempt.template_id, self.env.ref("loan_origination.mail_template_loan_declined")
        )
        self.assertEqual(attempt.state, "sent")

    def test_decision_only_at_decision_stage(self):
        app = self._application()
        with self.assertRaises(UserError) as err:
            app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        self.assertIn("not at a decision stage", str(err.exception))

    @freeze_time("2026-11-20 03:00:00")
    def test_dti_limit_compares_the_engine_ratio(self):
        """Instalment-to-income is the engine's ratio (4 decimals half-up, 2 in percent);
        the lead and the application compare the product's maximum to it in Decimal."""
        app = self._scored_setup()
        today = fields.Date.context_today(app)
        result = self.product._loan_schedule(app.amount, app.term, today)
        first = result["lines"][0].instalment + result["instalment_fee"]
        # an income whose ratio is rounded down: the unrounded float ratio would exceed a
        # maximum equal to the rounded ratio
        for income in range(15_000_000, 16_000_000, 10_000):
            exact = first * 100 / Decimal(income)
            percent = exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
            if exact > percent:
                break
        self.assertGreater(exact, percent, "the case needs a ratio rounded down")
        app.stated_income = income
        lead = self._lead(loan_stated_income=income)
        self.assertEqual(Decimal(str(app.dti)), percent)
        # a maximum equal to the ratio is not exceeded, one hundredth below it is
        self.product.max_dti = float(percent)
        self.assertEqual(lead._loan_prequalify(), ("qualified", []))
        app.with_user(self.appraiser).action_score()
        self.assertNotIn("dti_limit", app.reason_codes or "")
        self.product.max_dti = float(percent - Decimal("0.01"))
        state, reasons = lead._loan_prequalify()
        self.assertEqual(state, "not_qualified")
        self.assertIn("Instalment-to-income", reasons[0])
        app.with_user(self.appraiser).action_score()
        self.assertIn("dti_limit", app.reason_codes)
