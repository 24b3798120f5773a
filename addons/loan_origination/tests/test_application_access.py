from odoo.addons.loan_base.tests.http_common import WebClientCase
from odoo.tests import new_test_user, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestApplicationOpens(LoanOriginationCommon, WebClientCase):
    """An application opens in the web client, chatter included, for the consultant and
    the appraiser who work it, whatever team the borrower's file belongs to; an appraiser
    of another team is refused it and its borrower."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the borrower's file belongs to another team than the application's
        # (LoanBaseCommon gives it to a collection team)
        cls.officer_b = new_test_user(cls.env, "t_officer_b", "loan_base.group_loan_officer")
        cls.appraiser_b = new_test_user(cls.env, "t_appraiser_b", "loan_base.group_loan_appraiser")
        cls.env["loan.team"].create({"name": "Other sales team", "leader_id": cls.appraiser_b.id})

    def _worked_application(self):
        app = self._application(user=self.officer, user_id=self.officer_b.id)
        self.assertNotEqual(self.borrower.loan_team_id, app.team_id)
        self.assertNotEqual(self.borrower.loan_user_id, self.officer_b)
        app.message_post(body="Documents asked for.", message_type="comment")
        return app

    def _open(self, user, app):
        self._login(user)
        [values] = self.open_form(app)
        self.assertEqual(values["partner_id"]["id"], self.borrower.id)
        data, messages = self.open_chatter(app)
        [thread] = [t for t in data["mail.thread"] if t["id"] == app.id]
        self.assertTrue(thread["hasReadAccess"])
        self.assertIn(self.borrower.id, [r["partner_id"] for r in thread["suggestedRecipients"]])
        self.assertTrue(messages["messages"])
        [borrower] = self.open_form(self.borrower)
        self.assertEqual(borrower["name"], self.borrower.name)
        self.assertEqual(len(borrower["loan_phone_ids"]), 2)

    def test_appraiser_opens_a_team_application_and_its_borrower(self):
        self._open(self.appraiser, self._worked_application())

    def test_consultant_opens_an_application_given_to_them(self):
        self._open(self.officer_b, self._worked_application())

    def test_appraiser_of_another_team_is_refused(self):
        app = self._worked_application()
        self._login(self.appraiser_b)
        self.call_kw_refused(app._name, "web_read", [app.ids], {"specification": {"name": {}}})
        self.open_form_refused(self.borrower)
