from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestDecisionControls(LoanOriginationCommon):
    """A document is verified against a file; an approval is refused while something is
    missing unless a Lending Manager overrides it with a logged reason; score reasons read
    as the scorecard's labels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "t_lmanager", "loan_base.group_loan_manager")

    def test_verified_needs_a_file(self):
        app = self._application()
        front = app.document_ids.filtered(lambda d: d.document_type_id.code == "ID_FRONT")
        self.assertTrue(front)
        as_appraiser = front.with_user(self.appraiser)
        with self.assertRaises(ValidationError) as err:
            as_appraiser.action_verify()
        self.assertIn(front.document_type_id.name, str(err.exception))
        self.assertIn("without a file", str(err.exception))
        with self.assertRaises(ValidationError):
            as_appraiser.write({"state": "verified"})
        self.assertEqual(front.state, "missing")
        # an officer may upload but not verify, even with the file
        self._attach(front, user=self.officer)
        with self.assertRaises(AccessError):
            front.with_user(self.officer).action_verify()
        as_appraiser.action_verify()
        self.assertEqual(front.state, "verified")
        self.assertEqual(front.checked_by_id, self.appraiser)
        # the file cannot be taken away from a verified document
        with self.assertRaises(ValidationError):
            as_appraiser.attachment_ids = [(5, 0, 0)]

    def test_files_uploaded_before_saving_belong_to_the_document(self):
        app = self._application()
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.appraiser)
            .create({"name": "scan.pdf", "raw": b"%PDF-1.4"})
        )
        doc = app.document_ids[0].with_user(self.appraiser)
        doc.attachment_ids = [(4, attachment.id)]
        self.assertEqual((attachment.res_model, attachment.res_id), (doc._name, doc.id))
        # so that the approver, who did not upload it, reads it
        self.assertEqual(attachment.with_user(self.approver).read(["name"])[0]["name"], "scan.pdf")

    @freeze_time("2026-11-20 03:00:00")
    def test_approver_refused_while_documents_are_missing(self):
        app = self._at_decision(complete=False)
        approve = self._reasons("approve")
        wizard = Form(
            self.env["loan.application.decide"]
            .with_user(self.approver)
            .with_context(default_application_id=app.id)
        )
        self.assertIn("Verified document: ID card, front", wizard.missing_items)
        self.assertIn("Check: Reference check", wizard.missing_items)
        wizard.reason_ids.add(approve)
        decide = wizard.save()
        with self.assertRaises(UserError) as err:
            decide.action_confirm()
        self.assertIn("Verified document: ID card, back", str(err.exception))
        self.assertIn("Lending Manager", str(err.exception))
        self.assertFalse(app.decision)
        # nor may an approver override it, reason or not
        with self.assertRaises(UserError):
            app.with_user(self.approver)._decide(
                "approved", approve, override_reason="The customer is a friend"
            )
        self.assertFalse(app.decision)
        # declining an incomplete application needs no override
        app.with_user(self.approver)._decide("declined", self._reasons("decline"))
        self.assertEqual(app.stage_kind, "rejected")
        self.assertFalse(app.decision_override_reason)

    @freeze_time("2026-11-20 03:00:00")
    def test_no_way_round_the_decision(self):
        app = self._at_decision()
        contract_stage = self.env.ref("loan_origination.loan_application_stage_contract")
        for user in (self.approver, self.manager):
            with self.assertRaises(UserError) as err:
                app.with_user(user).stage_id = contract_stage
            self.assertIn("credit decision", str(err.exception))
        self.assertFalse(app.contract_ids)
        # nor by jumping over the decision stage from before it
        analysis = self.env.ref("loan_origination.loan_application_stage_analysis")
        early = self._at_decision()
        early.sudo().stage_id = analysis
        with self.assertRaises(UserError) as err:
            early.with_user(self.appraiser).stage_id = contract_stage
        self.assertIn("credit decision", str(err.exception))

    @freeze_time("2026-11-20 03:00:00")
    def test_approver_approves_a_complete_application(self):
        app = self._at_decision()
        self.assertFalse(app.missing_items)
        wizard = Form(
            self.env["loan.application.decide"]
            .with_user(self.approver)
            .with_context(default_application_id=app.id)
        )
        self.assertFalse(wizard.missing_items)
        wizard.reason_ids.add(self._reasons("approve"))
        wizard.save().action_confirm()
        self.assertEqual(app.decision, "approved")
        self.assertEqual(app.decided_by_id, self.approver)
        self.assertFalse(app.decision_override_reason)
        self.assertTrue(app.contract_ids)

    @freeze_time("2026-11-20 03:00:00")
    def test_manager_overrides_with_a_logged_reason(self):
        app = self._at_decision(complete=False)
        approve = self._reasons("approve")
        as_manager = app.with_user(self.manager)
        with self.assertRaises(UserError) as err:
            as_manager._decide("approved", approve, override_reason="   ")
        self.assertIn("Give the reason", str(err.exception))
        self.assertFalse(app.decision)
        wizard = Form(
            self.env["loan.application.decide"]
            .with_user(self.manager)
            .with_context(default_application_id=app.id)
        )
        wizard.reason_ids.add(approve)
        wizard.override_reason = "Documents seen in branch; scans follow tomorrow"
        wizard.save().action_confirm()
        self.assertEqual(app.decision, "approved")
        self.assertEqual(app.decided_by_id, self.manager)
        self.assertEqual(
            app.decision_override_reason, "Documents seen in branch; scans follow tomorrow"
        )
        self.assertIn("Verified document: ID card, front", app.decision_override_missing)
        message = app.message_ids.filtered(lambda m: "override" in (m.body or ""))
        self.assertEqual(len(message), 1)
        self.assertIn("Documents seen in branch; scans follow tomorrow", message.body)
        self.assertIn("ID card, front", message.body)
        self.assertIn(self.manager.name, message.body)

    @freeze_time("2026-11-20 03:00:00")
    def test_score_reasons_show_the_scorecard_labels(self):
        app = self._scored_setup()
        app.with_user(self.appraiser).action_score()
        self.assertEqual(app.reason_codes, "years_at_address, residence_type, monthly_income")
        card = self.env.ref("loan_origination.loan_scorecard_vn_consumer")
        labels = {a.variable: a.name for a in card.attribute_ids}
        expected = ", ".join(
            labels[code] for code in ("years_at_address", "residence_type", "monthly_income")
        )
        self.assertEqual(app.with_user(self.approver).reason_labels, expected)
        self.assertNotIn("_", app.reason_labels)
        # in the reader's language
        self.env["res.lang"]._activate_lang("vi_VN")
        card.attribute_ids.filtered(lambda a: a.variable == "residence_type").with_context(
            lang="vi_VN"
        ).name = "Nơi ở"
        app.invalidate_recordset(["reason_labels"])
        self.assertIn(
            "Nơi ở", app.with_user(self.approver).with_context(lang="vi_VN").reason_labels
        )
        # the product's own limits read as sentences, not codes
        self.product.max_dti = 5
        app.with_user(self.appraiser).action_score()
        self.assertIn("dti_limit", app.reason_codes)
        self.assertIn("DTI over the product's maximum", app.reason_labels)
        self.assertNotIn("dti_limit", app.reason_labels)
        # and the decision wizard shows them too
        wizard = (
            self.env["loan.application.decide"]
            .with_user(self.approver)
            .create({"application_id": app.id})
        )
        self.assertEqual(wizard.reason_labels, app.reason_labels)
