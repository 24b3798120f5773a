from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestLeadToDisbursement(LoanOriginationCommon):
    """From a CRM lead to a disbursed loan in real accounting, each step as its role."""

    @freeze_time("2026-11-20 03:00:00")  # 10:00 in Ho Chi Minh City
    def test_lead_to_disbursed_contract_each_step_by_its_role(self):
        Application = self.env["loan.application"]
        stage = {
            key: self.env.ref("loan_origination.loan_application_stage_%s" % key)
            for key in ("documents", "verification", "field", "analysis", "approval", "contract")
        }
        # 0. administrator: the product withholds a 5% insurance premium at disbursement
        self.product.with_user(self.lending_admin).write(
            {
                "scorecard_id": self.env.ref("loan_origination.loan_scorecard_vn_consumer").id,
                "fee_ids": [
                    (0, 0, {"name": "Insurance", "fee_type": "insurance_percent", "value": 5})
                ],
            }
        )
        # 1. consultant: lead, pre-qualification, application
        lead = self._lead()
        self.assertEqual(lead.loan_prequal_state, "qualified")
        with self.assertRaises(AccessError):
            lead.with_user(self.collector).action_loan_create_application()
        action = lead.action_loan_create_application()
        app = Application.with_user(self.officer).browse(action["res_id"])
        app.write(
            {
                "team_id": self.sales_team.id,
                "appraiser_id": self.appraiser.id,
                "stated_income": 15_000_000,
            }
        )
        app.action_next_stage()
        self.assertEqual(app.stage_id, stage["documents"])
        # 2. consultant: the dossier is received
        app.document_ids.write({"state": "received"})
        app.action_next_stage()
        self.assertEqual(app.stage_id, stage["verification"])
        # 3. appraiser: documents verified, phone and reference checks
        with self.assertRaises(UserError):
            app.action_next_stage()  # verification belongs to appraisers
        as_appraiser = app.with_user(self.appraiser)
        self._attach(app.document_ids)
        as_appraiser.document_ids.action_verify()
        Check = self.env["loan.verification"].with_user(self.appraiser)
        for code in ("PHONE", "REFERENCE"):
            check_type = self.env["loan.check.type"].search([("code", "=", code)])
            Check.create(
                {"application_id": app.id, "check_type_id": check_type.id, "result": "pass"}
            )
        with self.assertRaises(AccessError):
            Check.with_user(self.officer).create(
                {"application_id": app.id, "check_type_id": check_type.id, "result": "pass"}
            )
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["field"])
        # 4. appraiser: field verification through the gate
        visit = (
            self.env["loan.field.visit"]
            .with_user(self.appraiser)
            .create(
                {
                    "application_id": app.id,
                    "appointment": "2026-11-20 03:00:00",
                    "address": "45 Lê Lợi, Quận 1",
                    "result": "confirmed",
                    "latitude": 10.7731,
                    "longitude": 106.7004,
                }
            )
        )
        visit.action_done()
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["analysis"])
        # 5. appraiser: credit analysis
        with self.assertRaises(AccessError):
            app.with_user(self.officer2).action_score()
        as_appraiser.action_score()
        self.assertEqual(app.recommendation, "approve")
        as_appraiser.action_next_stage()
        self.assertEqual(app.stage_id, stage["approval"])
        # 6. approver: the application awaits them, not its own appraiser
        Awaiting = Application.with_user(self.approver).search(
            [("awaiting_my_decision", "=", True)]
        )
        self.assertIn(app, Awaiting)
        self.assertNotIn(
            app, as_appraiser.search([("awaiting_my_decision", "=", True)]), "a maker never"
        )
        with self.assertRaises(UserError):
            as_appraiser._decide("approved", self._reasons("approve"))
        app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        self.assertEqual(app.stage_id, stage["contract"])
        self.assertNotIn(
            app, Application.with_user(self.approver).search([("awaiting_my_decision", "=", True)])
        )
        contract = app.contract_ids
        # 7. consultant: signature
        self._sign(contract)
        self.assertEqual(contract.state, "signed")
        # the application does not reach "disbursed" by hand
        with self.assertRaises(UserError) as err:
            app.with_user(self.accountant).action_next_stage()
        self.assertIn("disburses its contract", str(err.exception))
        # 8. accountant: disbursement, exactly once
        for user in (self.officer, self.approver, self.appraiser):
            with self.assertRaises(AccessError):
                contract.with_user(user).action_disburse()
        self.assertFalse(contract.disbursement_payment_id)
        contract.with_user(self.accountant).action_disburse()
        self.assertEqual(contract.state, "active")
        self.assertEqual(app.stage_kind, "disbursed")
        self.assertEqual(contract.disbursed_by_id, self.accountant)
        with self.assertRaises(UserError) as err:
            contract.with_user(self.accountant).action_disburse()
        self.assertIn("already disbursed", str(err.exception))
        payments = self.env["account.payment"].search([("loan_contract_id", "=", contract.id)])
        self.assertEqual(payments, contract.disbursement_payment_id)
        self._assert_disbursement_books(contract)
