from odoo.addons.loan_base.engine.allocation import DPD_BUCKETS, VN_GROUP_BOUNDS
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDpdBands(TransactionCase):
    """Buckets and classifications are the engine's rules on the records' day ranges."""

    def test_bucket_of_each_day_past_due(self):
        Bucket = self.env["loan.collection.bucket"]
        ref = self.env.ref
        expected = {
            0: "loan_collection.loan_collection_bucket_current",
            1: "loan_collection.loan_collection_bucket_1_30",
            30: "loan_collection.loan_collection_bucket_1_30",
            31: "loan_collection.loan_collection_bucket_31_60",
            90: "loan_collection.loan_collection_bucket_61_90",
            91: "loan_collection.loan_collection_bucket_91_180",
            180: "loan_collection.loan_collection_bucket_91_180",
            181: "loan_collection.loan_collection_bucket_180",
            5000: "loan_collection.loan_collection_bucket_180",
        }
        for dpd, xmlid in expected.items():
            self.assertEqual(Bucket._for_dpd(dpd), ref(xmlid), dpd)
        # the preset's upper ends are the engine's default bounds
        buckets = Bucket.search([]).sorted("min_dpd")
        self.assertEqual(tuple(buckets[:-1].mapped("max_dpd")), DPD_BUCKETS)

    def test_edited_buckets_move_the_bounds_and_gaps_have_none(self):
        Bucket = self.env["loan.collection.bucket"]
        early = self.env.ref("loan_collection.loan_collection_bucket_1_30")
        middle = self.env.ref("loan_collection.loan_collection_bucket_31_60")
        early.max_dpd = 15
        self.assertEqual(Bucket._for_dpd(15), early)
        self.assertFalse(Bucket._for_dpd(16), "16-30 is in no bucket now")
        middle.min_dpd = 16
        self.assertEqual(Bucket._for_dpd(16), middle)
        self.assertEqual(Bucket._for_dpd(60), middle)

    def test_overlapping_buckets_are_refused(self):
        early = self.env.ref("loan_collection.loan_collection_bucket_1_30")
        with self.assertRaisesRegex(ValidationError, "overlap"):
            early.max_dpd = 31
        last = self.env.ref("loan_collection.loan_collection_bucket_91_180")
        with self.assertRaisesRegex(ValidationError, "overlap"):
            last.max_dpd = -1

    def test_classification_is_the_vn_debt_group(self):
        Contract = self.env["loan.contract"]
        classes = self.env["loan.classification"].search([]).sorted("min_dpd")
        self.assertEqual(tuple(classes[:-1].mapped("max_dpd")), VN_GROUP_BOUNDS)
        found = {
            dpd: Contract._loan_classification_for(dpd).code
            for dpd in (0, 9, 10, 90, 91, 180, 181, 360, 361)
        }
        # Circular 11/2021: group 1 below 10 days, 2 to 90, 3 to 180, 4 to 360, 5 beyond
        groups = {0: "1", 9: "1", 10: "2", 90: "2", 91: "3", 180: "3", 181: "4", 360: "4"}
        self.assertEqual(found, {**groups, 361: "5"})
        with self.assertRaisesRegex(ValidationError, "overlap"):
            classes[0].max_dpd = 10
