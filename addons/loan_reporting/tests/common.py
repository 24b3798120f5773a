import base64
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.loan_base.engine.allocation import vn_loan_group
from odoo.addons.loan_servicing.tests.common import LoanServicingCommon
from odoo.tests import freeze_time, new_test_user

RATES = {1: Decimal(0), 2: Decimal(5), 3: Decimal(20), 4: Decimal(50), 5: Decimal(100)}
GENERAL = Decimal("0.75")
MONTH_ENDS = [date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 31)]


def dec(value):
    return Decimal(str(value or 0))


class ReportingCommon(LoanServicingCommon):
    """A small portfolio of our own product, closed by the real end of day from October
    2026 to January 2027: borrowers who pay, one who stops after a month, two who never
    pay (one of them 91 days late by the end: non-performing), on two cohorts. After
    each month end, what the contracts hold then is kept, computed here independently of
    the reporting SQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(cls.env, "t_rmanager", "loan_base.group_loan_manager")
        cls.other_lead = new_test_user(cls.env, "t_other_lead", "loan_base.group_loan_appraiser")
        cls.env["loan.team"].create({"name": "Other sales team", "leader_id": cls.other_lead.id})
        Run = cls.env["loan.eod.run"].sudo()
        Run.search([]).unlink()
        Run.create({"business_date": date(2026, 9, 30), "state": "done"})
        cls.buckets = cls.env["loan.collection.bucket"].search([], order="min_dpd")
        plan = [
            ("payer", 20_000_000, date(2026, 10, 1)),
            ("never", 30_000_000, date(2026, 10, 1)),
            ("stopped", 15_000_000, date(2026, 10, 1)),
            ("late_cohort", 25_000_000, date(2026, 11, 10)),
            ("payer2", 10_000_000, date(2026, 11, 10)),
        ]
        # disbursements, receipts and closings in date order, as they happen
        cls.loans = {}
        cls.states = {}
        starts = {start: [] for _key, _amount, start in plan}
        for key, amount, start in plan:
            starts[start].append((key, amount))
        payments = []
        closed = date(2026, 9, 30)
        stops = set(starts) | set(MONTH_ENDS)
        while stops:
            stop = min(stops)
            stops.discard(stop)
            cls._close(closed, stop - timedelta(days=1))
            closed = max(closed, stop - timedelta(days=1))
            for key, amount in starts.get(stop, []):
                with freeze_time(stop):
                    contract = cls._make_contract(amount, stop)
                cls.loans[key] = contract
                lines = contract.line_ids.sorted("sequence")
                if key in ("payer", "payer2"):
                    payments += [(line.due_date, contract, line.instalment) for line in lines]
                elif key == "stopped":
                    payments.append((lines[0].due_date, contract, lines[0].instalment))
                stops |= {day for day, _c, _a in payments if day <= MONTH_ENDS[-1]}
            for day, contract, amount in payments:
                if day == stop:
                    cls._receipt(contract, amount, day)
            if stop in MONTH_ENDS:
                cls._close(closed, stop)
                closed = stop
                cls.states[stop] = cls._state_now()
        cls.mine = cls.env["loan.contract"].browse([c.id for c in cls.loans.values()])

    @classmethod
    def _make_contract(cls, amount, start):
        Contract = cls.env["loan.contract"].sudo()
        contract = Contract.create(
            Contract._loan_contract_vals(
                cls.borrower,
                cls.product,
                amount,
                12,
                start,
                user_id=cls.officer.id,
                team_id=cls.sales_team.id,
            )
        )
        contract.write({"signed_file": base64.b64encode(b"%PDF-1.4"), "signed_filename": "s.pdf"})
        contract.with_user(cls.officer).action_mark_signed()
        contract.with_user(cls.accountant).action_disburse()
        return contract

    @classmethod
    def _close(cls, last, day):
        if day > last:
            cls.env["loan.eod.run"].with_user(cls.accountant).with_context(
                queue_job__no_delay=True
            ).run_to(day)

    @classmethod
    def _receipt(cls, contract, amount, day):
        receipt = (
            cls.env["loan.receipt"]
            .with_user(cls.accountant)
            .create({"contract_id": contract.id, "amount": amount, "date": day})
        )
        with freeze_time(day):
            receipt.action_post()

    @classmethod
    def _bucket(cls, dpd):
        for bucket in cls.buckets:
            if bucket.min_dpd <= dpd and (bucket.max_dpd == -1 or dpd <= bucket.max_dpd):
                return bucket
        return cls.buckets.browse()

    @classmethod
    def _state_now(cls):
        """Each of our open contracts as it stands now (a month end just closed), with
        group, provisions and receivables computed here from the contract and its
        schedule."""
        cls.env.invalidate_all()
        state = {}
        for contract in cls.env["loan.contract"].browse([c.id for c in cls.loans.values()]):
            if contract.state not in ("active", "overdue"):
                continue
            outstanding = dec(contract.outstanding_principal)
            group = vn_loan_group(contract.dpd)
            interest = sum(
                max(
                    dec(ln.interest_recognised) - dec(ln.interest_paid) - dec(ln.interest_waived),
                    0,
                )
                for ln in contract.line_ids
            )
            state[contract.id] = {
                "amount": dec(contract.amount),
                "disbursed": contract.disbursed_date,
                "dpd": contract.dpd,
                "bucket": cls._bucket(contract.dpd).id,
                "group": group,
                "outstanding": outstanding,
                "interest": interest,
                "specific": (outstanding * RATES[group] / 100).quantize(Decimal(1)),
                "general": (outstanding * GENERAL / 100).quantize(Decimal(1))
                if group < 5
                else Decimal(0),
            }
        return state

    def _expected_portfolio(self, day):
        rows = self.states[day].values()
        return {
            "count": len(rows),
            "outstanding": sum(r["outstanding"] for r in rows),
            "par1": sum(r["outstanding"] for r in rows if r["dpd"] > 0),
            "par30": sum(r["outstanding"] for r in rows if r["dpd"] > 30),
            "par60": sum(r["outstanding"] for r in rows if r["dpd"] > 60),
            "par90": sum(r["outstanding"] for r in rows if r["dpd"] > 90),
            "npl": sum(r["outstanding"] for r in rows if r["group"] >= 3),
            "specific": sum(r["specific"] for r in rows),
            "general": sum(r["general"] for r in rows),
        }

    def _expected_roll(self, day, before):
        matrix = defaultdict(lambda: [0, Decimal(0)])
        for cid, old in self.states[before].items():
            new = self.states[day].get(cid)
            cell = matrix[(old["bucket"], new["bucket"] if new else False)]
            cell[0] += 1
            cell[1] += old["outstanding"]
        return {key: tuple(value) for key, value in matrix.items()}
