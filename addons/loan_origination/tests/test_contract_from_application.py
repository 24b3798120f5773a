from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestContractFromApplication(LoanOriginationCommon):
    """Approval makes the contract from the application's terms, once."""

    @freeze_time("2026-11-20 03:00:00")
    def test_approval_makes_one_contract_of_the_application(self):
        app, contract = self._approved()
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.application_id, app)
        self.assertEqual(
            (contract.partner_id, contract.user_id, contract.team_id, contract.amount),
            (app.partner_id, app.user_id, app.team_id, app.amount),
        )
        self.assertEqual(contract.start_date.isoformat(), "2026-11-20")
        with self.assertRaises(UserError):
            app.sudo()._create_contract()
