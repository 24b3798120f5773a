import logging
import random
import time
from collections import Counter
from datetime import date, timedelta

from odoo.addons.loan_base.engine import accrual, allocation
from odoo.tests import tagged

from .common import LoanOriginationCommon
from .eod_portfolio import FIRST_DATE, EodPortfolioMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestEodEngine(EodPortfolioMixin, LoanOriginationCommon):
    """The end of day computes days past due, classification, penalties and recognised
    interest in set-based SQL for speed; the engine is their definition. On a seeded random
    portfolio (partial payments, payments ahead and prepayments, waivers, restructures,
    catch-up runs over skipped dates), every stored result equals the engine's for the same
    contract and date, after every closing."""

    SIZE = 300  # several hundred contracts (about 9 minutes on two CPUs)
    SEED = 20261103
    DAYS = 90
    # per closing and open contract: odds of a receipt, of a waiver and of a restructure
    # (for loans in arrears); a receipt about every eight closings keeps partial payments,
    # payments ahead and payoffs frequent without the receipts dominating the run
    ODDS = (0.12, 0.15, 0.1)

    def _check(self, label, day, where, got, expected):
        self.compared[label] += 1
        if got != expected:
            self.mismatches.append((label, str(day), where, got, expected))

    def _compare(self, before, after, last_closed, day):
        """Hold what the closings of ``last_closed`` (excluded) to ``day`` stored equal to
        the engine, from ``before`` (the state they started from) and ``after``."""
        window = [last_closed + timedelta(days=n + 1) for n in range((day - last_closed).days)]
        for cid, (contract, lines) in after.items():
            if before[cid][0]["state"] not in ("active", "overdue"):
                continue  # closed: the end of day leaves it alone
            old = {line.id: line for line in before[cid][1]}
            rounding = contract["rounding"]
            dpd = self._engine_dpd(lines, day)
            self._check("contract dpd", day, cid, contract["dpd"], dpd)
            self._check("state", day, cid, contract["state"], "overdue" if dpd else "active")
            self._check(
                "VN group", day, cid, contract["classification"], str(allocation.vn_loan_group(dpd))
            )
            self.groups_seen.add(allocation.vn_loan_group(dpd))
            overdue = 0
            for line in lines:
                where = (cid, line.sequence)
                was = old[line.id]
                unpaid = [line.due_date] if line.open_due > 0 else []
                self._check(
                    "line dpd", day, where, line.dpd or 0, allocation.days_past_due(unpaid, day)
                )
                late_days = [d for d in window if d > line.due_date]
                charged = accrual.accrue_penalty(
                    [line.open_pi] * len(late_days),
                    contract["penalty_rate"] or 0,
                    charged=was.penalty,
                    scheduled=line.principal + line.interest,
                    cap_percent=contract["penalty_cap"] or 0,
                    rounding=rounding,
                )
                self._check("penalty", day, where, line.penalty, was.penalty + sum(charged))
                if any(charged) and line.penalty != was.penalty:
                    self.penalised += 1
                if was.recognised:
                    flag, recognised = True, was.interest_recognised
                else:
                    flag = line.due_date <= day
                    recognised = accrual.recognised_interest(
                        line.interest,
                        self._period_start(contract, lines, line),
                        line.due_date,
                        day,
                        contract["accrual_method"],
                        rounding,
                    )
                    if 0 < recognised < line.interest:
                        self.part_recognised += 1
                self._check("recognised", day, where, line.recognised, flag)
                self._check("interest recognised", day, where, line.interest_recognised, recognised)
                if line.due_date < day:
                    overdue += line.open_due + line.open_penalty
            self._check("overdue amount", day, cid, contract["overdue_amount"], overdue)

    def test_end_of_day_sql_equals_the_engine_on_a_random_portfolio(self):
        self._skip_with_demo_data()
        rng = random.Random(self.SEED)
        clock = Counter()
        tick = time.perf_counter()
        self._portfolio_setup()
        contracts = self._build_portfolio(self.SIZE, rng)
        clock["build"] += time.perf_counter() - tick
        self.compared = Counter()
        self.mismatches = []
        self.groups_seen = set()
        self.penalised = self.part_recognised = 0
        events = Counter()
        closings = self._checkpoints(rng, FIRST_DATE + timedelta(days=self.DAYS))
        before = self._snapshot(contracts)
        last_closed = FIRST_DATE - timedelta(days=1)
        for day in closings:
            tick = time.perf_counter()
            runs = self._close_to(day, chunk_size=rng.choice([None, 64]))
            clock["close"] += time.perf_counter() - tick
            tick = time.perf_counter()
            self.assertEqual(runs[-1:].business_date, day)
            self.assertEqual(len(runs), (day - last_closed).days, "skipped dates caught up")
            after = self._snapshot(contracts)
            self._compare(before, after, last_closed, day)
            last_closed = day
            clock["compare"] += time.perf_counter() - tick
            tick = time.perf_counter()
            receipts, waivers, restructures = self._events(
                rng, after, day + timedelta(days=1), odds=self.ODDS
            )
            clock["events"] += time.perf_counter() - tick
            events.update(receipts=receipts, waivers=waivers, restructures=restructures)
            before = self._snapshot(contracts)
        total = sum(self.compared.values())
        _logger.info(
            "end of day vs engine: %s contracts, %s closings over %s dates, %s comparisons "
            "(%s), %s, %s mismatches, seconds %s",
            len(contracts),
            len(closings),
            (closings[-1] - FIRST_DATE).days + 1,
            total,
            dict(self.compared),
            dict(events),
            len(self.mismatches),
            {k: round(v, 1) for k, v in clock.items()},
        )
        summary = Counter(label for label, *_rest in self.mismatches)
        self.assertFalse(
            self.mismatches,
            "SQL differs from the engine: %s; first ones (what, date, contract/line, SQL, "
            "engine): %s" % (dict(summary), self.mismatches[:15]),
        )
        # the portfolio went through what the test is about: not a vacuous pass
        self.assertGreater(total, 100_000)
        self.assertEqual(self.groups_seen, {1, 2, 3, 4, 5})
        self.assertGreater(self.penalised, 300)
        self.assertGreater(self.part_recognised, 100)
        self.assertGreater(events["receipts"], 200)
        self.assertGreaterEqual(events["waivers"], 5)
        self.assertGreaterEqual(events["restructures"], 3)
        self.assertTrue(contracts.filtered(lambda c: c.state == "closed"), "some loans paid off")

    def test_penalties_capitalised_by_a_restructure_are_not_charged_again(self):
        contract = self._active_contract(penalty_rate=0.05, penalty_cap=1.0)
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-19", "state": "done"})
        self._close_to(date(2026, 12, 30))
        first = contract.line_ids.sorted("sequence")[0]
        self.assertGreater(first.penalty, 0, "10 days late")
        self._capitalise_arrears(contract, "2026-12-31", 12)
        self.assertEqual(first.penalty, 0, "capitalised into the new principal")
        self._close_to(date(2026, 12, 31))
        self.env.invalidate_all()
        self.assertEqual(first.penalty, 0, "and not charged again by the next end of day")
        self.assertFalse(first.amount_open)
        self.assertEqual((contract.dpd, contract.overdue_amount), (0, 0))
