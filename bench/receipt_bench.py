#!/usr/bin/env python3
"""Benchmark: receipts allocated, posted and reconciled in accounting. Prints figures.

    python3 bench/receipt_bench.py [--receipts 200]

Disburses ``2 x --receipts`` contracts through the ORM, then on one worker:

- ``loan.receipt``: the first instalment of each of the first half, allocated by the
  engine over the schedule, posted as one payment and reconciled with the disbursement's
  receivable, ``--batch`` receipts posted together (as a bank statement import does);
- Odoo's register-payment wizard (``account.payment.register``) on the disbursement
  receivable line of each of the other half, same amount: one payment, posted and
  reconciled.

Uses the project-local PostgreSQL and the scratch database ``lending_bench``; everything
is rolled back.
"""

import argparse
import time
from datetime import date, timedelta

from benchlib import odoo_env, out, vnd_product

START = date(2026, 1, 15)


def disbursed_contracts(env, count):
    product = vnd_product(
        env,
        "Bench receipts",
        "BENCH-RCPT",
    )
    partners = env["res.partner"].create(
        [{"name": "Receipt borrower %d" % i, "loan_is_borrower": True} for i in range(count)]
    )
    apps = env["loan.application"].create(
        [
            {"partner_id": p.id, "product_id": product.id, "amount": 20_000_000, "term": 12}
            for p in partners
        ]
    )
    Contract = env["loan.contract"]
    contracts = Contract.create([Contract._prepare_contract_vals(app, START) for app in apps])
    contracts.write({"state": "signed"})
    t0 = time.perf_counter()
    for contract in contracts:
        contract._disburse(START)
    env.flush_all()
    out(
        "setup: %d contracts disbursed through accounting in %.1f s (%.0f ms each)"
        % (count, time.perf_counter() - t0, (time.perf_counter() - t0) / count * 1000)
    )
    # the first instalments were recognised by the end of day of their due date
    env.cr.execute(
        "UPDATE loan_contract_line SET recognised = true WHERE contract_id = ANY(%s)"
        " AND sequence = 1",
        [contracts.ids],
    )
    env["loan.contract.line"].invalidate_model()
    return product, contracts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50, help="receipts posted together")
    parser.add_argument("--profile", action="store_true", help="profile the receipts")
    args = parser.parse_args()
    n = args.receipts
    with odoo_env(["loan_origination"]) as env:
        product, contracts = disbursed_contracts(env, 2 * n)
        ours, theirs = contracts[:n], contracts[n:]
        day = START + timedelta(days=31)
        Receipt = env["loan.receipt"]
        if args.profile:
            import cProfile  # noqa: PLC0415

            profiler = cProfile.Profile()
            profiler.enable()
        t0 = time.perf_counter()
        receipts = Receipt.create(
            [{"contract_id": c.id, "amount": c.line_ids[0].instalment, "date": day} for c in ours]
        )
        for start in range(0, n, args.batch):
            receipts[start : start + args.batch]._post()
        env.flush_all()
        ours_time = time.perf_counter() - t0
        if args.profile:
            import pstats  # noqa: PLC0415

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        reconciled = sum(
            1
            for contract in ours
            if contract.disbursement_move_id.line_ids.filtered(
                lambda x: x.account_id == product.account_receivable_id
            ).matched_credit_ids
        )
        out(
            "loan.receipt: %d receipts allocated, posted and reconciled in batches of %d in "
            "%.1f s: %.1f per second (%.0f ms each; %d reconciled)"
            % (n, args.batch, ours_time, n / ours_time, ours_time / n * 1000, reconciled)
        )
        Register = env["account.payment.register"]
        t0 = time.perf_counter()
        for contract in theirs:
            line = contract.disbursement_move_id.line_ids.filtered(
                lambda x: x.account_id == product.account_receivable_id
            )
            Register.with_context(active_model="account.move.line", active_ids=line.ids).create(
                {
                    "amount": contract.line_ids[0].instalment,
                    "payment_date": day,
                    "journal_id": product.disbursement_journal_id.id,
                }
            )._create_payments()
        env.flush_all()
        wizard_time = time.perf_counter() - t0
        out(
            "register-payment wizard: %d payments posted and reconciled in %.1f s: %.1f per "
            "second (%.0f ms each)" % (n, wizard_time, n / wizard_time, wizard_time / n * 1000)
        )
        out("loan.receipt is %.1fx the wizard's throughput" % (wizard_time / ours_time))


if __name__ == "__main__":
    main()
