from odoo.addons.loan_servicing.tests.common import LoanServicingCommon
from odoo.fields import Command


class LoanOriginationCommon(LoanServicingCommon):
    """A VND cash product, a sales team, and helpers that bring an application to each
    step of origination as the role that owns it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage = {
            key: cls.env.ref("loan_origination.loan_application_stage_%s" % key)
            for key in ("received", "documents", "verification", "field", "rejected")
        }

    @classmethod
    def _product_vals(cls, currency):
        documents = [
            cls.env.ref("loan_origination.loan_document_type_id_front").id,
            cls.env.ref("loan_origination.loan_document_type_id_back").id,
            cls.env.ref("loan_origination.loan_document_type_application_form").id,
        ]
        return dict(
            super()._product_vals(currency),
            min_income=5_000_000,
            max_dti=50,
            document_type_ids=[(6, 0, documents)],
        )

    def _lead(self, user=None, **vals):
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
        return self.env["crm.lead"].with_user(user or self.officer).create(dict(base, **vals))

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

    def _approved(self, fees=True):
        """(application, contract): the application approved by the approver, which makes
        its contract."""
        if fees:
            self._add_fees()
        app = self._at_decision()
        app.with_user(self.approver)._decide("approved", self._reasons("approve"))
        return app, app.contract_ids
