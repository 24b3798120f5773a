#!/usr/bin/env python3
"""Benchmark: the end-of-day batch on a portfolio. Prints figures.

    python3 bench/eod_bench.py [--contracts 200000] [--term 12] [--sample 10000]
                               [--chunk 5000]

Generates (in SQL) a portfolio of ``--contracts`` 12-month contracts, ``contracts x term``
instalments, disbursed over the last year, one in ten delinquent; then, all in one run:

- the end of day of one business date through ``loan.eod.run`` chunk by chunk, one worker;
- the same work (days past due, penalties, contract status and classification, history)
  as a per-record ORM loop on a ``--sample`` of contracts, the next day;
- a bare lower bound: one SQL statement that only computes days past due for every
  instalment.

Uses the project-local PostgreSQL and the scratch database ``lending_bench``; everything
is rolled back.
"""

import argparse
import time
from datetime import date, timedelta

from benchlib import odoo_env, out, vnd_product

BUSINESS_DATE = date(2026, 11, 23)


def build_portfolio(env, count, term):
    cr = env.cr
    company = env.company
    product = vnd_product(
        env,
        "Bench cash loan",
        "BENCH-EOD",
        penalty_rate=0.05,
        penalty_cap=10.0,
    )
    partners = env["res.partner"].create(
        [{"name": "Bench borrower %d" % i, "loan_is_borrower": True} for i in range(1000)]
    )
    stage = env.ref("loan_origination.loan_application_stage_disbursed")
    env.flush_all()
    t0 = time.perf_counter()
    params = {
        "n": count,
        "term": term,
        "partners": partners.ids,
        "product": product.id,
        "stage": stage.id,
        "company": company.id,
        "currency": product.currency_id.id,
        "day": BUSINESS_DATE,
    }
    cr.execute(
        """
        INSERT INTO loan_application (name, partner_id, product_id, amount, term, stage_id,
                                      company_id, currency_id, stage_kind)
        SELECT 'BENCH/' || g, (%(partners)s::int[])[1 + g %% 1000], %(product)s, 20000000,
               %(term)s, %(stage)s, %(company)s, %(currency)s, 'disbursed'
        FROM generate_series(1, %(n)s) g
        """,
        params,
    )
    # start dates spread over the last year; one contract in ten is delinquent
    cr.execute(
        """
        INSERT INTO loan_contract (name, application_id, partner_id, company_id, product_id,
               currency_id, state, amount, term, rate, start_date, disbursed_date,
               outstanding_principal, penalty_rate, penalty_cap, instalment_order,
               component_order, upfront_fees, instalment_fee)
        SELECT 'HD/BENCH/' || a.id, a.id, a.partner_id, a.company_id, a.product_id,
               a.currency_id, 'active', 20000000, %(term)s, 28, d.start, d.start,
               20000000, 0.05, 10, 'oldest_first', 'penalty,fees,interest,principal', 0, 0
        FROM loan_application a
        CROSS JOIN LATERAL (SELECT %(day)s::date - 1 - (a.id %% 360) AS start) d
        WHERE a.product_id = %(product)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO loan_contract_line (contract_id, company_id, currency_id, sequence,
               due_date, days, opening_balance, principal, interest, fee, instalment,
               closing_balance, principal_paid, interest_paid, fee_paid, penalty,
               penalty_paid, recognised, dpd)
        SELECT c.id, c.company_id, c.currency_id, s.seq, x.due, 30, 0,
               x.principal, 400000, 0, x.principal + 400000, 0,
               CASE WHEN x.paid THEN x.principal ELSE 0 END,
               CASE WHEN x.paid THEN 400000 ELSE 0 END, 0, 0, 0, x.due < %(day)s, 0
        FROM loan_contract c
        CROSS JOIN generate_series(1, %(term)s) s(seq)
        CROSS JOIN LATERAL (
            SELECT (c.start_date + s.seq * interval '1 month')::date AS due,
                   CASE WHEN s.seq = %(term)s THEN 20000000 - 1666667 * (%(term)s - 1)
                        ELSE 1666667 END AS principal,
                   (c.start_date + s.seq * interval '1 month')::date < %(day)s
                   AND NOT (c.id %% 10 = 0
                            AND (c.start_date + s.seq * interval '1 month')::date
                                >= %(day)s - (c.id %% 7) * 30) AS paid
        ) x
        WHERE c.product_id = %(product)s
        """,
        params,
    )
    cr.execute("ANALYZE loan_contract")
    cr.execute("ANALYZE loan_contract_line")
    cr.execute(
        "SELECT count(*) FROM loan_contract_line l JOIN loan_contract c ON c.id = l.contract_id"
        " WHERE c.product_id = %s",
        [product.id],
    )
    lines = cr.fetchone()[0]
    out(
        "portfolio: %d contracts, %d instalments generated in SQL in %.1f s"
        % (count, lines, time.perf_counter() - t0)
    )
    return product


def profile_steps(env):
    """Time each step of a chunk (wraps the model's methods for this run)."""
    times = {}
    cls = type(env["loan.eod.run"])
    for name in ("_recognise_due", "_accrue_penalties", "_classify"):
        original = getattr(cls, name)

        def wrapped(self, *args, _original=original, _name=name):
            t0 = time.perf_counter()
            result = _original(self, *args)
            times[_name] = times.get(_name, 0.0) + time.perf_counter() - t0
            return result

        setattr(cls, name, wrapped)
    return times


def eod_batch(env, product, chunk):
    cr = env.cr
    times = profile_steps(env)
    cr.execute(
        "SELECT id FROM loan_contract WHERE product_id = %s AND state IN ('active', 'overdue')"
        " ORDER BY id",
        [product.id],
    )
    ids = [r[0] for r in cr.fetchall()]
    chunks = [ids[i : i + chunk] for i in range(0, len(ids), chunk)]
    run = env["loan.eod.run"].create(
        {"business_date": BUSINESS_DATE, "chunk_count": len(chunks), "contract_count": len(ids)}
    )
    env.flush_all()
    t0 = time.perf_counter()
    for part in chunks:
        run._run_chunk(part)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    cr.execute(
        "SELECT count(*) FILTER (WHERE state = 'overdue'), count(*) FROM loan_contract"
        " WHERE product_id = %s",
        [product.id],
    )
    overdue, total = cr.fetchone()
    cr.execute("SELECT count(*) FROM loan_penalty_accrual WHERE date = %s", [BUSINESS_DATE])
    accruals = cr.fetchone()[0]
    out(
        "end of day %s, batch (%d chunks of %d, one worker): %.1f s for %d contracts "
        "(%d overdue, %d penalty rows), %.3f ms per contract"
        % (
            BUSINESS_DATE,
            len(chunks),
            chunk,
            elapsed,
            total,
            overdue,
            accruals,
            elapsed / total * 1000,
        )
    )
    out("  of which: " + ", ".join("%s %.1f s" % (k.strip("_"), v) for k, v in times.items()))
    return ids, elapsed


def orm_loop(env, ids, day):
    """The same work as the batch (interest recognised at due dates, penalties accrued and
    posted, days past due, status, classification, history), record by record through the
    ORM, posting per contract as a per-record implementation would."""
    Contract = env["loan.contract"]
    History = env["loan.contract.dpd"]
    Accrual = env["loan.penalty.accrual"]
    Classification = env["loan.classification"]
    classes = Classification.search([])
    t0 = time.perf_counter()
    for contract in Contract.browse(ids):
        dpd = 0
        overdue = 0.0
        penalty = 0.0
        due_today = contract.line_ids.filtered(lambda x: x.due_date <= day and not x.recognised)
        if due_today:
            contract._recognise(due_today, day, "ORM loop")
        for line in contract.line_ids:
            open_pi = line.principal - line.principal_paid + line.interest - line.interest_paid
            open_due = open_pi + line.fee - line.fee_paid
            line_dpd = (day - line.due_date).days if line.due_date < day and open_due > 0 else 0
            if line.dpd != line_dpd:
                line.dpd = line_dpd
            if line.due_date < day and open_pi > 0 and contract.penalty_rate:
                amount = contract.currency_id.round(open_pi * contract.penalty_rate / 100)
                cap = contract.currency_id.round(
                    (line.principal + line.interest) * contract.penalty_cap / 100
                )
                amount = min(amount, cap - line.penalty)
                if amount > 0:
                    Accrual.create(
                        {
                            "line_id": line.id,
                            "contract_id": contract.id,
                            "date": day,
                            "amount": amount,
                        }
                    )
                    line.penalty += amount
                    penalty += amount
            dpd = max(dpd, line_dpd)
            if line.due_date < day:
                overdue += open_due + line.penalty - line.penalty_paid
        if penalty:
            product = contract.product_id
            move = env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": product.journal_id.id,
                    "date": day,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Penalty",
                                "account_id": product.account_charges_receivable_id.id,
                                "partner_id": contract.partner_id.id,
                                "debit": penalty,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "name": "Penalty",
                                "account_id": product.account_penalty_income_id.id,
                                "credit": penalty,
                            },
                        ),
                    ],
                }
            )
            move.action_post()
        group = classes.filtered(
            lambda k, d=dpd: k.min_dpd <= d and (k.max_dpd == -1 or k.max_dpd >= d)
        )[:1]
        contract.write(
            {
                "dpd": dpd,
                "overdue_amount": overdue,
                "state": "overdue" if dpd else "active",
                "classification_id": group.id,
            }
        )
        History.create(
            {
                "contract_id": contract.id,
                "date": day,
                "dpd": dpd,
                "overdue_amount": overdue,
                "outstanding_principal": contract.outstanding_principal,
                "classification_id": group.id,
                "state": contract.state,
            }
        )
    env.flush_all()
    return time.perf_counter() - t0


def lower_bound(env, product, day):
    cr = env.cr
    t0 = time.perf_counter()
    cr.execute(
        """
        UPDATE loan_contract_line l
        SET dpd = CASE WHEN l.due_date < %(day)s
                        AND l.principal - l.principal_paid + l.interest - l.interest_paid
                            + l.fee - l.fee_paid > 0
                       THEN %(day)s - l.due_date ELSE 0 END
        FROM loan_contract c
        WHERE c.id = l.contract_id AND c.product_id = %(product)s
        """,
        {"day": day, "product": product.id},
    )
    rows = cr.rowcount
    return time.perf_counter() - t0, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200_000)
    parser.add_argument("--term", type=int, default=12)
    parser.add_argument("--sample", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args()
    with odoo_env(["loan_origination"]) as env:
        product = build_portfolio(env, args.contracts, args.term)
        ids, batch = eod_batch(env, product, args.chunk)
        per_batch = batch / len(ids)
        sample = ids[:: max(1, len(ids) // args.sample)][: args.sample]
        orm = orm_loop(env, sample, BUSINESS_DATE + timedelta(days=1))
        per_orm = orm / len(sample)
        out(
            "same work as a per-record ORM loop, %d contracts (next day): %.1f s, %.3f ms per "
            "contract: the batch is %.1fx faster per contract"
            % (len(sample), orm, per_orm * 1000, per_orm / per_batch)
        )
        bound, rows = lower_bound(env, product, BUSINESS_DATE)
        out(
            "lower bound, one SQL UPDATE of days past due over %d instalments: %.1f s; "
            "the batch takes %.1fx that" % (rows, bound, batch / bound)
        )


if __name__ == "__main__":
    main()
