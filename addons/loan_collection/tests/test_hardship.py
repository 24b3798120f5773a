from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestHardship(CollectionWorkCommon):
    """Hardship relief: a payment holiday with a trial, then cure or re-default."""

    def test_hardship_holiday_has_a_trial_then_cure_or_redefault(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        programme = self.env["loan.waiver.programme"].create(
            {
                "name": "Hardship",
                "monthly_budget": 10_000_000,
                "hardship_max_dpd": 3,
                "hardship_trial_months": 1,
                "limit_ids": [
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 1_000_000,
                        },
                    )
                ],
            }
        )
        Request = self.env["loan.hardship.request"].with_user(self.collector)
        request = Request.create(
            {
                "case_id": case.id,
                "contract_id": contract.id,
                "situation": "In hospital for a month.",
                "programme_id": programme.id,
                "proposal": "holiday",
                "holiday_months": 2,
            }
        )
        with freeze_time("2026-12-25"), self.assertRaises(UserError) as err:
            request.action_submit()
        self.assertIn("5 days past due", str(err.exception))
        # nothing proposed yet: refusing it is the team lead's call, not a collector's
        colleague = self.collector_b
        self.team_a.member_ids |= colleague
        with self.assertRaisesRegex(AccessError, "team lead"):
            request.with_user(colleague).action_refuse()
        self.assertEqual(request.state, "draft")
        programme.hardship_max_dpd = 30
        with freeze_time("2026-12-25"):
            request.action_submit()
        restructure = request.restructure_id
        self.assertEqual((request.state, restructure.state), ("submitted", "to_approve"))
        self.assertEqual((restructure.term, restructure.grace_principal), (14, 2))
        self.assertTrue(restructure.capitalise_arrears)
        with freeze_time("2026-12-25"), self.assertRaises(UserError):
            restructure.with_user(self.collector).action_approve()
        with freeze_time("2026-12-25"):
            restructure.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "trial")
        self.assertEqual(str(request.trial_until), "2027-01-25")
        self.assertEqual(case.state, "in_progress")
        # one relief a year
        second = Request.create(
            {
                "case_id": case.id,
                "contract_id": contract.id,
                "situation": "Still in hospital.",
                "programme_id": programme.id,
                "component": "penalty",
                "amount": 10_000,
            }
        )
        with freeze_time("2026-12-26"), self.assertRaises(UserError) as err:
            second.action_submit()
        self.assertIn("12 months", str(err.exception))
        # nothing missed until the trial ends: cured; the first new instalment missed later
        # is a re-default
        self._run_to("2027-01-24")
        self.assertEqual(request.state, "trial")
        self._run_to("2027-01-25")
        self.assertEqual((request.state, str(request.outcome_on)), ("cured", "2027-01-25"))
        self._run_to("2027-01-26")
        self.assertEqual((request.state, str(request.outcome_on)), ("re_defaulted", "2027-01-26"))
