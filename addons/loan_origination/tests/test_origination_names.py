from odoo.tests import tagged

from .common import LoanOriginationCommon


@tagged("post_install", "-at_install")
class TestOriginationNames(LoanOriginationCommon):
    """Score reasons and configuration names read as people's words, translatable."""

    def test_score_reasons_read_as_labels(self):
        app = self._at_decision()
        self.assertTrue(app.reason_codes)
        card = app.scorecard_id
        labels = {attr.variable: attr.name for attr in card.attribute_ids}
        codes = [code.strip() for code in app.reason_codes.split(",")]
        self.assertEqual(app.reason_labels, ", ".join(labels[code] for code in codes))
        self.assertNotIn("_", app.reason_labels)
        self.assertIn("reason_labels", app.get_view(view_type="form")["arch"])

    def test_configuration_names_are_translatable(self):
        for model, fields in {
            "loan.application.stage": ("name", "description"),
            "loan.decision.reason": ("name",),
            "loan.document.type": ("name", "description"),
            "loan.check.type": ("name", "description"),
            "loan.scorecard": ("name",),
            "loan.scorecard.attribute": ("name",),
            "loan.product": ("name", "description"),
            "loan.classification": ("name",),
            "loan.contact.policy": ("name", "note"),
            "loan.outreach.provider": ("name",),
        }.items():
            for field in fields:
                self.assertTrue(self.env[model]._fields[field].translate, f"{model}.{field}")
        self.env["res.lang"]._activate_lang("vi_VN")
        stage = self.stage["documents"].with_context(lang="vi_VN")
        stage.name = "Hồ sơ"
        self.assertEqual(stage.with_context(lang="en_US").name, "Documents")
