#!/usr/bin/env python3
"""Benchmark: creating loan contracts with their schedules through the ORM. Prints figures.

    python3 bench/contract_bench.py [--contracts 10000] [--term 12]

Uses the project-local PostgreSQL (started and stopped like ./dev does) and a scratch
database ``lending_bench`` with loan_origination installed; everything is rolled back.
"""

import argparse
import time
from datetime import date

from benchlib import odoo_env, out, vnd_product


def bench(env, count, term):
    product = vnd_product(
        env,
        "Bench cash loan",
        "BENCH",
        interest_basis="daily",
        fee_ids=[(0, 0, {"name": "Service", "fee_type": "service_instalment", "value": 12000})],
    )
    partner = env["res.partner"].create({"name": "Bench Borrower", "loan_is_borrower": True})
    apps = env["loan.application"].create(
        [
            {
                "partner_id": partner.id,
                "product_id": product.id,
                "amount": 5_000_000 + (i % 600) * 100_000,
                "term": term,
            }
            for i in range(count)
        ]
    )
    env.flush_all()
    Contract = env["loan.contract"]
    start = date(2026, 1, 15)
    t0 = time.perf_counter()
    vals_list = [Contract._prepare_contract_vals(app, start) for app in apps]
    t1 = time.perf_counter()
    Contract.create(vals_list)
    env.flush_all()
    t2 = time.perf_counter()
    out(
        "ORM: %d contracts with %d-line schedules (%d lines): %.1f s, %.0f contracts/s "
        "(schedules and disclosure %.1f s, ORM create %.1f s)"
        % (count, term, count * term, t2 - t0, count / (t2 - t0), t1 - t0, t2 - t1)
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=10_000)
    parser.add_argument("--term", type=int, default=12)
    args = parser.parse_args()
    with odoo_env(["loan_origination"]) as env:
        bench(env, args.contracts, args.term)


if __name__ == "__main__":
    main()
