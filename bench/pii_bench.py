#!/usr/bin/env python3
"""Benchmarks of the encrypted personal data of loan_base. Prints figures; asserts nothing.

    python3 bench/pii_bench.py [--partners 1000000] [--borrowers 10000]

1. engine: encrypt / decrypt / blind index cost of one field value (pure Python);
2. Odoo: writing N borrowers with an encrypted ID number and an encrypted phone, one batch;
3. Odoo: blind-index lookup of one phone among M partners (rows generated with SQL).

Uses the project-local PostgreSQL (started and stopped like ./dev does) and a scratch
database ``lending_bench`` with loan_base installed; all generated rows are rolled back.
"""

import argparse
import statistics
import sys
import time

from benchlib import ROOT, odoo_env, out

sys.path.insert(0, str(ROOT / "addons" / "loan_base"))

from engine.pii import Keyring, aad_for


def bench_engine(n=20000):
    ring = Keyring.generate()
    values = ["+8490%07d" % i for i in range(n)]
    aads = [aad_for("loan.partner.phone", i, "number") for i in range(n)]
    t0 = time.perf_counter()
    tokens = [ring.encrypt(v, a) for v, a in zip(values, aads, strict=True)]
    t1 = time.perf_counter()
    for t, a in zip(tokens, aads, strict=True):
        ring.decrypt(t, a)
    t2 = time.perf_counter()
    for v in values:
        ring.blind_index(v, "phone")
    t3 = time.perf_counter()
    out("engine, %d values:" % n)
    out("  encrypt      %.1f us/value" % ((t1 - t0) / n * 1e6))
    out("  decrypt      %.1f us/value" % ((t2 - t1) / n * 1e6))
    out("  blind index  %.1f us/value" % ((t3 - t2) / n * 1e6))


def bench_odoo(env, borrowers, partners):
    cr = env.cr
    # --- batch write of borrowers with encrypted fields
    vals_list = [
        {
            "name": "Bench Borrower %d" % i,
            "loan_is_borrower": True,
            "loan_id_type": "passport",
            "loan_id_number": "B%08d" % i,
            "loan_phone_ids": [(0, 0, {"number": "+8491%07d" % i})],
        }
        for i in range(borrowers)
    ]
    t0 = time.perf_counter()
    env["res.partner"].create(vals_list)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    out(
        "Odoo: %d borrowers (encrypted ID + 1 encrypted phone each), one batch: %.1f s, "
        "%.0f borrowers/s" % (borrowers, elapsed, borrowers / elapsed)
    )
    cr.rollback()
    # the same partners without any encrypted field, for scale
    t0 = time.perf_counter()
    env["res.partner"].create(
        [{"name": "Bench Plain %d" % i, "loan_is_borrower": True} for i in range(borrowers)]
    )
    env.flush_all()
    elapsed = time.perf_counter() - t0
    out(
        "Odoo: %d partners without encrypted fields or phones, one batch: %.0f partners/s"
        % (borrowers, borrowers / elapsed)
    )
    cr.rollback()

    # --- blind-index lookup among `partners` partners, rows generated with SQL
    ring = env["loan.pii.mixin"]._loan_pii_keyring()
    t0 = time.perf_counter()
    cr.execute(
        "INSERT INTO res_partner (name, active, is_company, loan_is_borrower, type,"
        " complete_name) SELECT 'Gen ' || g, true, false, true, 'contact', 'Gen ' || g"
        " FROM generate_series(1, %s) g RETURNING id",
        [partners],
    )
    ids = [r[0] for r in cr.fetchall()]
    rows = (
        "%d\t%s\t%s\tmobile\tt\n"
        % (pid, ring.blind_index("+8498%07d" % i, "phone"), "098****%03d" % (i % 1000))
        for i, pid in enumerate(ids)
    )
    import io  # noqa: PLC0415

    buf = io.StringIO("".join(rows))
    cr.copy_expert(
        "COPY loan_partner_phone (partner_id, number_bidx, number_mask, phone_type, is_valid)"
        " FROM STDIN",
        buf,
    )
    cr.execute("ANALYZE loan_partner_phone")
    cr.execute("ANALYZE res_partner")
    out(
        "  generated %d partners with a phone each in %.1f s" % (partners, time.perf_counter() - t0)
    )
    Partner = env["res.partner"]
    index = partners // 2
    target = "098%07d" % index
    timings = []
    for _ in range(20):
        env.invalidate_all()
        t0 = time.perf_counter()
        found = Partner.search([("loan_phone", "=", target)])
        timings.append((time.perf_counter() - t0) * 1000)
    assert found.ids == [ids[index]], (found.ids, ids[index])
    out(
        "Odoo: blind-index lookup of one phone among %d partners: median %.1f ms, "
        "min %.1f ms, max %.1f ms (20 runs, ORM search incl. normalise + HMAC)"
        % (partners, statistics.median(timings), min(timings), max(timings))
    )
    cr.rollback()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--partners", type=int, default=1_000_000)
    parser.add_argument("--borrowers", type=int, default=10_000)
    args = parser.parse_args()
    bench_engine()
    with odoo_env(["loan_base"]) as env:
        bench_odoo(env, args.borrowers, args.partners)


if __name__ == "__main__":
    main()
