from odoo.tests import tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestFraudReferral(CollectionWorkCommon):
    """Cases referred to the fraud team by rule."""

    def _fraud_queue(self):
        team = self.env["loan.team"].create(
            {"name": "Fraud", "kind": "collection", "leader_id": self.teamlead.id}
        )
        return self.env["loan.collection.queue"].create(
            {"name": "Fraud review", "team_id": team.id, "fraud_queue": True}
        )

    def test_first_payment_default_is_referred_for_fraud_by_rule(self):
        queue = self._fraud_queue()
        self.env["ir.config_parameter"].sudo().set_param("loan.fraud_fpd_days", "30")
        contract = self._active_contract()
        self._run_to("2027-01-18")
        case = self._case(contract)
        self.assertEqual((case.dpd, case.fraud_referral_ids), (29, self.env["loan.fraud.referral"]))
        self._run_to("2027-01-19")
        referral = case.fraud_referral_ids
        self.assertEqual(
            (referral.reason, case.state, case.queue_id), ("first_payment_default", "fraud", queue)
        )
        self.assertIn(contract.name, referral.note)
        self.assertTrue(
            contract.application_id.activity_ids.filtered(lambda a: a.user_id == self.appraiser)
        )

    def test_origination_fraud_signals_refer_the_case_when_it_opens(self):
        queue = self._fraud_queue()
        contract = self._active_contract()
        contract.application_id.sudo().fraud_signals = "The same ID number is on 2 other person(s)."
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.assertFalse(case.fraud_referral_ids, "the rule is off unless configured")
        self.env["ir.config_parameter"].sudo().set_param("loan.fraud_flag_signals", "1")
        self._run_to("2026-12-22")
        self.assertEqual((case.fraud_referral_ids.reason, case.queue_id), ("shared_contact", queue))
        self.assertIn("same ID number", case.fraud_referral_ids.note)
