import base64

from odoo.addons.loan_base.tests.common import LoanBaseCommon
from odoo.fields import Command
from odoo.tests import freeze_time, new_test_user


class LoanOriginationCommon(LoanBaseCommon):
    """A VND cash product, a sales team, and helpers that bring an application to each
    step of origination as the role that owns it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraiser = new_test_user(cls.env, "t_appraiser", "loan_base.group_loan_appraiser")
        cls.approver = new_test_user(cls.env, "t_approver", "loan_base.group_loan_approver")
        cls.accountant = new_test_user(
            cls.env, "t_accountant", "loan_base.group_loan_accountant", name="Kế toán Test"
        )
        cls.sales_team = cls.env["loan.team"].create(
            {
                "name": "Test sales team",
                "leader_id": cls.appraiser.id,
                "member_ids": [(6, 0, [cls.officer.id])],
            }
        )
        vnd = cls.env.ref("base.VND")
        vnd.active = True
        cls.product = cls.env["loan.product"].create(
            {
                "name": "Test cash",
                "code": "T-APP",
                "currency_id": vnd.id,
                "min_amount": 5_000_000,
                "max_amount": 70_000_000,
                "min_term": 6,
                "max_term": 36,
                "rate": 28.0,
                "min_income": 5_000_000,
                "max_dti": 50,
                "document_type_ids": [
                    (
                        6,
                        0,
                        [
                            cls.env.ref("loan_origination.loan_document_type_id_front").id,
                            cls.env.ref("loan_origination.loan_document_type_id_back").id,
                            cls.env.ref("loan_origination.loan_document_type_application_form").id,
                        ],
                    )
                ],
            }
        )
        cls.stage = {
            key: cls.env.ref("loan_origination.loan_application_stage_%s" % key)
            for key in ("received", "documents", "verification", "field", "rejected")
        }

    def _lead(self, **vals):
        base = {
            "name": "Loan request",
            "type": "opportunity",
            "contact_name": "Applicant Lan",
            "phone": "0938 555 777",
            "loan_product_id": self.product.id,
            "loan_amount": 20_000_000,
            "loan_term": 12,
            "loan_stated_income": 15_000_000,
            "loan_birth_date": "1990-05-05",
            "loan_id_type": "vn_cccd",
            "loan_id_number": "079190123456",
        }
        return self.env["crm.lead"].with_user(self.officer).create(dict(base, **vals))

    def _application(self, user=None, **vals):
        return (
            self.env["loan.application"]
            .with_user(user or self.officer)
            .create(
                {
                    "partner_id": self.borrower.id,
                    "product_id": self.product.id,
                    "amount": 20_000_000,
                    "term": 12,
                    "team_id": self.sales_team.id,
                    "appraiser_id": self.appraiser.id,
                    **vals,
                }
            )
        )

    def _scored_setup(self):
        self.product.scorecard_id = self.env.ref("loan_origination.loan_scorecard_vn_consumer")
        self.borrower.write({"loan_employment_type": "salaried", "loan_monthly_income": 15_000_000})
        app = self._application()
        app.stated_income = 15_000_000
        return app

    def _attach(self, documents, user=None):
        """Upload a scan on each document, as ``user`` (the appraiser by default)."""
        user = user or self.appraiser
        for doc in documents.with_user(user):
            attachment = (
                self.env["ir.attachment"]
                .with_user(user)
                .create(
                    {
                        "name": "%s.pdf" % doc.document_type_id.code,
                        "raw": b"%PDF-1.4 scan",
                        "res_model": doc._name,
                        "res_id": doc.id,
                    }
                )
            )
            doc.attachment_ids = [Command.link(attachment.id)]

    def _complete_dossier(self, app):
        """The appraiser verifies every document against its scan and passes every check
        the stages require."""
        self._attach(app.document_ids)
        app.document_ids.with_user(self.appraiser).action_verify()
        Check = self.env["loan.verification"].with_user(self.appraiser)
        for check_type in self.env["loan.application.stage"].search([]).check_type_ids:
            Check.create(
                {"application_id": app.id, "check_type_id": check_type.id, "result": "pass"}
            )

    def _at_decision(self, amount=20_000_000, complete=True):
        self._scored_setup()
        app = self._application(
            stage_id=self.env.ref("loan_origination.loan_application_stage_approval").id,
            stated_income=15_000_000,
            amount=amount,
        )
        if complete:
            self._complete_dossier(app)
        app.with_user(self.appraiser).action_score()
        return app

    def _reasons(self, kind):
        return self.env["loan.decision.reason"].search([("kind", "=", kind)], limit=1)

    def _approved(self, fees=True):
        if fees:
            self.product.write(
                {
                    "fee_ids": [
                        (0, 0, {"name": "Insurance", "fee_type": "insurance_percent", "value": 5}),
                        (
                            0,
                            0,
                            {"name": "Service", "fee_type": "service_instalment", "value": 12000},
                        ),
                    ]
                }
            )
        app = self._at_decision()
        app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        return app, app.contract_ids

    def _active_contract(self, **product_vals):
        """A 20,000,000 VND, 12-month contract disbursed on 2026-11-20 (first due
        2026-12-20), as the accountant's record."""
        if product_vals:
            self.product.write(product_vals)
        with freeze_time("2026-11-20 03:00:00"):
            _app, contract = self._approved()
            contract.write(
                {"signed_file": base64.b64encode(b"%PDF-1.4"), "signed_filename": "s.pdf"}
            )
            contract.action_mark_signed()
            contract.with_user(self.accountant).action_disburse()
        return contract.with_user(self.accountant)

    def _pay(self, contract, amount, date="2026-12-20"):
        receipt = (
            self.env["loan.receipt"]
            .with_user(self.accountant)
            .create({"contract_id": contract.id, "amount": amount, "date": date})
        )
        with freeze_time(date):
            receipt.action_post()
        return receipt
