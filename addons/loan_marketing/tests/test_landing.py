import secrets

from odoo.tests import tagged

from .test_webhooks import LoanCaptureHttpCase

CODE = "123456"


@tagged("post_install", "-at_install")
class TestLanding(LoanCaptureHttpCase):
    """The landing page as an anonymous visitor: the quote before any personal data, the
    phone confirmed by a code sent through the gate, then the capture."""

    def setUp(self):
        super().setUp()
        # the code the OTP model draws (secrets.randbelow), known to the test
        self.patch(secrets, "randbelow", lambda _bound: int(CODE))

    def _form(self, **values):
        return {
            "source": "t-landing",
            "product_id": self.product.id,
            "amount": 20_000_000,
            "term": 12,
            "name": "Hoàng Thị Landing",
            "phone": "0987 654 321",
            "province_id": self.env.ref("base.state_vn_VN-HN").id,
            "email": "landing@example.com",
            "consent_data": True,
            "consent_marketing": False,
            **values,
        }

    def _code(self, phone="0987 654 321"):
        return self._jsonrpc("/loan/apply/code", {"source": "t-landing", "phone": phone})

    def test_page_renders_form_without_account(self):
        response = self.url_open("/loan/apply")
        self.assertEqual(response.status_code, 200)
        self.assertIn('data-source="t-landing"', response.text)
        self.assertIn("Test landing cash", response.text)
        self.assertIn("T-1", response.text, "the consent text version is shown")
        self.assertEqual(self.url_open("/loan/apply/nope").status_code, 404)
        # the form alone, placed by an administrator on any page
        self.env["website.page"].create(
            {
                "name": "Borrow",
                "url": "/t-borrow",
                "website_published": True,
                "type": "qweb",
                "key": "loan_marketing.t_borrow_page",
                "arch": '<t t-name="loan_marketing.t_borrow_page"><t t-call="website.layout">'
                '<div id="wrap"><t t-call="loan_marketing.loan_landing_form"/></div>'
                "</t></t>",
            }
        )
        page = self.url_open("/t-borrow")
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-source="t-landing"', page.text)
        self.assertIn("Test landing cash", page.text)

    def test_quote(self):
        params = {"source": "t-landing", "product_id": self.product.id, "term": 12}
        quote = self._jsonrpc("/loan/quote", dict(params, amount=20_000_000))
        calc = self.env["loan.calculator"].new(
            {"product_id": self.product.id, "amount": 20_000_000, "term": 12}
        )
        self.assertTrue(calc.instalment)
        self.assertIn("{:,.0f}".format(calc.instalment), quote["instalment"])
        self.assertIn("%", quote["eir"])
        self.assertIn("{:.2f}".format(calc.eir), quote["eir"])
        # outside the product's range: its own refusal, as a message
        refused = self._jsonrpc("/loan/quote", dict(params, amount=500_000_000))
        self.assertIn("outside the product's range", refused["error"])
        other = self.product.copy({"code": "T-OTHER"})
        refused = self._jsonrpc("/loan/quote", dict(params, product_id=other.id, amount=1))
        self.assertEqual(refused, {"error": "Choose a product."})

    def test_code_and_submit_capture_the_lead(self):
        token = self._code()["token"]
        result = self._jsonrpc("/loan/apply/submit", self._form(token=token, code=CODE))
        self.assertIn("Thank you", result["message"])
        lead = self._leads(self.landing)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.loan_phone_mask, "098****321")
        self.assertEqual((lead.loan_product_id, lead.loan_amount), (self.product, 20_000_000))
        self.assertEqual(lead.loan_province_id, self.env.ref("base.state_vn_VN-HN"))
        consents = self._consents(lead)
        self.assertEqual(consents.mapped("purpose"), ["data_processing"])
        self.assertEqual(consents.channel, "web")
        touch = lead.loan_touch_ids
        self.assertEqual(len(touch), 1)
        self.assertNotIn("654", touch.payload, "the readable payload is masked")
        self.assertNotIn(CODE, touch.payload, "the code is not kept")
        sms = self.env["loan.outreach.attempt"].search(
            [("partner_id", "=", lead.partner_id.id), ("purpose", "=", "verification")]
        )
        self.assertEqual(sms.state, "sent")
        self.assertNotIn(CODE, sms.body, "the log keeps the message without the code")
        # the code is used once
        again = self._jsonrpc("/loan/apply/submit", self._form(token=token, code=CODE))
        self.assertIn("expired", again["error"])

    def test_honeypot_is_thanked_and_ignored(self):
        result = self._jsonrpc(
            "/loan/apply/submit", self._form(token="x", code="1", loan_hp="http://spam")
        )
        self.assertIn("Thank you", result["message"])
        self.assertFalse(self._leads(self.landing))

    def test_wrong_code_and_missing_consent_are_refused(self):
        token = self._code()["token"]
        wrong = self._jsonrpc("/loan/apply/submit", self._form(token=token, code="000000"))
        self.assertEqual(wrong["error"], "The confirmation code is wrong.")
        otp = self.env["loan.lead.otp"].search([("token", "=", token)])
        self.assertEqual(otp.tries, 1)
        no_consent = self._jsonrpc(
            "/loan/apply/submit", self._form(token=token, code=CODE, consent_data=False)
        )
        self.assertIn("processing of your personal data", no_consent["error"])
        too_much = self._jsonrpc(
            "/loan/apply/submit", self._form(token=token, code=CODE, amount=900_000_000)
        )
        self.assertIn("outside the product's range", too_much["error"])
        other_phone = self._jsonrpc(
            "/loan/apply/submit", self._form(token=token, code=CODE, phone="0987 000 111")
        )
        self.assertEqual(other_phone["error"], "The confirmation code is wrong.")
        self.assertFalse(self._leads(self.landing))
        self.assertFalse(otp.verified_at)

    def test_codes_rate_limited_per_phone(self):
        for _i in range(5):
            self.assertIn("token", self._code())
        refused = self._code()
        self.assertEqual(refused, {"error": "Too many codes were sent to this number today."})
        self.assertIn("token", self._code("0987 654 322"), "another number is not limited")
        bad = self._code("12")
        self.assertIn("error", bad)

    def test_tour_anonymous_visitor_applies(self):
        self.start_tour("/loan/apply", "loan_marketing_landing_tour")
        lead = self._leads(self.landing)
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.loan_phone_mask, "091****678")
        self.assertEqual(lead.loan_amount, 30_000_000)
        self.assertTrue(lead.loan_province_id)
        consents = self._consents(lead)
        self.assertEqual(sorted(consents.mapped("purpose")), ["data_processing", "marketing"])
        self.assertEqual(len(lead.loan_touch_ids), 1)
        self.env.flush_all()
        self.env.cr.execute("SELECT phone FROM crm_lead WHERE id = %s", [lead.id])
        self.assertIsNone(self.env.cr.fetchone()[0], "the plain number is never stored")
