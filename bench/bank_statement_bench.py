#!/usr/bin/env python3
"""Benchmark: a bank statement of incoming transfers turned into allocated, posted and
reconciled loan receipts by queue_job workers. Prints figures.

    python3 bench/bank_statement_bench.py [--lines 10000] [--per-contract 4] [--chunk 250]

Builds a throwaway database ``lending_bench_bank`` (dropped at the end unless ``--keep``):
``--lines / --per-contract`` disbursed contracts, then one statement line per instalment
paid (the transfer's reference names the contract, the bank has matched the borrower), all
committed. Then starts Odoo with ``--workers 2`` (queue_job's runner dispatches the jobs of
``root.loan_receipt`` to the two HTTP workers, as in production), queues the statement in
chunk jobs (``account.bank.statement.line._loan_enqueue_match``) and measures the time until
every line has its receipt posted, booked on the line's own entry and reconciled (the
principal credited reconciled with the loan receivable).
"""

import argparse
import subprocess
import sys
import time
from datetime import date

from benchlib import ROOT, devtool, out, vnd_product

DB = "lending_bench_bank"
START = date(2026, 1, 15)


def setup(env, lines, per_contract):
    """Disbursed contracts and their statement lines, in ``env`` (committed by the caller)."""
    product = vnd_product(env, "Bench bank statement", "BENCH-BANK")
    count = -(-lines // per_contract)
    partners = env["res.partner"].create(
        [{"name": "Statement borrower %d" % i, "loan_is_borrower": True} for i in range(count)]
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
    for n, contract in enumerate(contracts):
        contract.with_context(loan_skip_entry_payments=True)._disburse(START)
        if n % 200 == 199:
            env.cr.commit()
    env.flush_all()
    out("setup: %d contracts disbursed in %.0f s" % (count, time.perf_counter() - t0))
    # the instalments paid were recognised by the end of day of their due date
    env.cr.execute(
        "UPDATE loan_contract_line SET recognised = true, interest_recognised = interest"
        " WHERE contract_id = ANY(%s) AND sequence <= %s",
        [contracts.ids, per_contract],
    )
    env["loan.contract.line"].invalidate_model()
    # the bank account borrowers pay into, in the contracts' currency
    journal = env["account.journal"].create(
        {
            "name": "Bench VND bank",
            "type": "bank",
            "code": "BVND",
            "currency_id": product.currency_id.id,
        }
    )
    vals = []
    for contract in contracts:
        for line in contract.line_ids.sorted("sequence")[:per_contract]:
            if len(vals) < lines:
                vals.append(
                    {
                        "journal_id": journal.id,
                        "date": line.due_date,
                        "partner_id": contract.partner_id.id,
                        "payment_ref": "CK tra no hop dong %s ky %d"
                        % (contract.name, line.sequence),
                        "amount": line.instalment,
                    }
                )
    t0 = time.perf_counter()
    statement_lines = env["account.bank.statement.line"].create(vals)
    env.flush_all()
    out("setup: %d statement lines imported in %.0f s" % (len(vals), time.perf_counter() - t0))
    return statement_lines


# Odoo's prefork server without its websocket process: the bench needs none, and where the
# process cannot start (``python -m odoo`` breaks its ``sys.argv``; gevent's entry points
# may miss a distribution) the server respawns it all through the run, on the bench's CPUs
PREFORK_WITHOUT_WEBSOCKET = """
import sys
from odoo.cli.command import main
from odoo.service import server
server.PreforkServer.long_polling_spawn = lambda self: None
sys.argv = ["odoo"] + sys.argv[1:]
main()
"""


def server_cmd(run_conf, *args):
    """Odoo's server in prefork mode (``--workers``), without the websocket process."""
    return [sys.executable, "-c", PREFORK_WITHOUT_WEBSOCKET, "server", "-c", str(run_conf), *args]


def progress(cr, ids):
    cr.execute(
        """
        SELECT count(*) FILTER (WHERE l.loan_receipt_id IS NOT NULL),
               (SELECT count(*) FROM queue_job WHERE channel = 'root.loan_receipt'
                  AND state NOT IN ('done', 'failed', 'cancelled')),
               (SELECT count(*) FROM queue_job WHERE channel = 'root.loan_receipt'
                  AND state = 'failed')
        FROM account_bank_statement_line l WHERE l.id = ANY(%s)
        """,
        [ids],
    )
    return cr.fetchone()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--per-contract", type=int, default=4, help="lines per contract")
    parser.add_argument("--chunk", type=int, default=250, help="statement lines per job")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    with devtool.database_server() as (run_conf, opts):
        if devtool.db_exists(opts, DB):
            devtool.db_drop(opts, DB)
        subprocess.run(
            devtool.odoo_cmd(
                run_conf,
                "-d",
                DB,
                "-i",
                "loan_origination",
                "--stop-after-init",
                "--log-level",
                "warn",
            ),
            check=True,
            cwd=ROOT,
        )
        import odoo  # noqa: PLC0415
        from odoo.modules.registry import Registry  # noqa: PLC0415
        from odoo.tools import config  # noqa: PLC0415

        config.parse_config(["-c", str(run_conf), "--log-level", "warn"], setup_logging=True)
        server = None
        try:
            with Registry(DB).cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                statement_lines = setup(env, args.lines, args.per_contract)
                env["ir.config_parameter"].set_param("loan.receipt_chunk_size", args.chunk)
                ids = statement_lines.ids
                cr.commit()
                port = devtool.free_port()
                server = subprocess.Popen(
                    server_cmd(
                        run_conf,
                        "-d",
                        DB,
                        "--workers",
                        str(args.workers),
                        "--max-cron-threads",
                        "0",
                        "--http-port",
                        str(port),
                        "--limit-time-cpu",
                        "3600",
                        "--limit-time-real",
                        "3600",
                        "--log-level",
                        "warn",
                    ),
                    cwd=ROOT,
                    env=devtool.odoo_env(),
                )
                time.sleep(5)  # the runner listens for new jobs once the server is up
                t0 = time.perf_counter()
                jobs = statement_lines._loan_enqueue_match(args.chunk)
                cr.commit()
                out("queued %d lines in %d jobs of %d lines" % (len(ids), jobs, args.chunk))
                last = -1
                while True:
                    time.sleep(2)
                    done, pending, failed = progress(cr, ids)
                    cr.commit()
                    if done != last:
                        out("  %.0f s: %d lines matched" % (time.perf_counter() - t0, done))
                        last = done
                    if not pending:
                        break
                elapsed = time.perf_counter() - t0
                cr.execute(
                    """
                    SELECT count(*) FILTER (WHERE r.state = 'posted'),
                           count(*) FILTER (WHERE sl.is_reconciled),
                           (SELECT count(DISTINCT aml.move_id) FROM account_move_line aml
                              JOIN loan_receipt r2 ON r2.move_id = aml.move_id
                              JOIN loan_contract c ON c.id = r2.contract_id
                              JOIN loan_product p ON p.id = c.product_id
                             WHERE r2.statement_line_id = ANY(%s)
                               AND aml.account_id = p.account_receivable_id
                               AND aml.credit > 0
                               AND aml.reconciled)
                    FROM account_bank_statement_line sl
                    JOIN loan_receipt r ON r.id = sl.loan_receipt_id
                    WHERE sl.id = ANY(%s)
                    """,
                    [ids, ids],
                )
                posted, reconciled, receivable = cr.fetchone()
                out(
                    "bank statement: %d lines -> %d receipts posted, %d statement lines and "
                    "%d loan receivables reconciled, %d failed jobs, with %d workers in %.0f s "
                    "(%.1f lines per second)"
                    % (
                        len(ids),
                        posted,
                        reconciled,
                        receivable,
                        failed,
                        args.workers,
                        elapsed,
                        len(ids) / elapsed,
                    )
                )
        finally:
            if server:
                server.terminate()
                server.wait(60)
            Registry.delete(DB)
            if not args.keep:
                devtool.db_drop(opts, DB)


if __name__ == "__main__":
    main()
