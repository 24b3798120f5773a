import random
from collections import Counter
from datetime import timedelta

from odoo.addons.loan_base.engine import allocation
from odoo.addons.loan_origination.tests.eod_portfolio import FIRST_DATE, EodPortfolioMixin
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestEodEngineBuckets(EodPortfolioMixin, CollectionCommon):
    """The end of day's chunks put each contract in its collection bucket in SQL; the
    bucket is the engine's (``allocation.bucket``) of the engine's days past due, on a
    seeded random portfolio, after every closing."""

    SIZE = 60
    SEED = 20261104
    DAYS = 40

    def test_collection_buckets_equal_the_engine(self):
        self._skip_with_demo_data()
        buckets = self.env["loan.collection.bucket"].search([], order="min_dpd")
        bounds = [bucket.max_dpd for bucket in buckets[:-1]]
        self.assertEqual(tuple(bounds), allocation.DPD_BUCKETS, "the preset buckets")
        self.assertEqual(buckets[-1].max_dpd, -1)
        rng = random.Random(self.SEED)
        self._portfolio_setup()
        contracts = self._build_portfolio(self.SIZE, rng, legacy_share=0.25)
        compared = Counter()
        mismatches = []
        seen = set()
        for day in self._checkpoints(rng, FIRST_DATE + timedelta(days=self.DAYS)):
            self._close_to(day, chunk_size=rng.choice([None, 16]))
            snapshot = self._snapshot(contracts)
            self.env.cr.execute(
                "SELECT id, collection_bucket_id FROM loan_contract WHERE id = ANY(%s)",
                [contracts.ids],
            )
            stored = dict(self.env.cr.fetchall())
            for cid, (contract, lines) in snapshot.items():
                if contract["state"] not in ("active", "overdue"):
                    continue
                dpd = self._engine_dpd(lines, day)
                index = allocation.bucket(dpd, bounds)
                seen.add(index)
                for label, got, expected in (
                    ("dpd", contract["dpd"], dpd),
                    ("bucket", stored[cid], buckets[index].id),
                ):
                    compared[label] += 1
                    if got != expected:
                        mismatches.append((label, str(day), cid, got, expected))
            self._events(rng, snapshot, day + timedelta(days=1))
        self.assertFalse(mismatches, "SQL differs from the engine: %s" % mismatches[:15])
        self.assertGreater(compared["bucket"], 500)
        self.assertEqual(seen, set(range(len(buckets))), "every bucket was reached")
