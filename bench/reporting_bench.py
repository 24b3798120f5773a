#!/usr/bin/env python3
"""Benchmark: portfolio history and reports on a large portfolio. Prints figures.

    python3 bench/reporting_bench.py [--contracts 200000] [--months 24] [--chunk 5000]

Generates (in SQL) ``--contracts`` 24-month contracts disbursed over ``--months`` months,
one in ten delinquent, and their days-past-due history at every month end; then:

- rebuilds ``--months`` month-end snapshots and their daily figures from that history;
- times the reporting step the end of day adds on a month's last date, on the data
  committed and vacuumed: the snapshot of every contract (receivables read from the
  schedules), the date's aggregate, roll rates, collection efficiency, the provision
  entry and Finance by Day (and, for comparison, the snapshot chunk by chunk);
- times each report's first page as a Lending Manager (record rules applied), the
  vintage triangle of every cohort, and the month-end classification list in XLSX (time
  and the process's peak memory);
- times the opening of each lending dashboard as that manager (``dashboard_bench.py``),
  its period filters relative to the day after the last month end.

Uses the project-local PostgreSQL and the scratch database ``lending_bench``, which it
drops at the end (the portfolio is committed before the end of day's step is timed).
"""

import argparse
import resource
import time
from datetime import date, timedelta

from benchlib import odoo_env, out, vacuum, vnd_product
from dashboard_bench import time_dashboards

LAST_MONTH_END = date(2026, 11, 30)


def month_ends(months):
    from odoo.addons.loan_reporting.models.loan_portfolio import (  # noqa: PLC0415
        month_end,
    )

    ends = []
    year, month = LAST_MONTH_END.year, LAST_MONTH_END.month
    for _n in range(months):
        ends.append(month_end(date(year, month, 1)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(ends)


def build(env, count, months, ends):
    cr = env.cr
    product = vnd_product(env, "Bench reporting loan", "BENCH-REP")
    partners = env["res.partner"].create(
        [{"name": "Bench borrower %d" % i, "loan_is_borrower": True} for i in range(1000)]
    )
    team = env["loan.team"].create({"name": "Bench sales team"})
    stage = env.ref("loan_origination.loan_application_stage_disbursed")
    env.flush_all()
    t0 = time.perf_counter()
    params = {
        "n": count,
        "partners": partners.ids,
        "product": product.id,
        "stage": stage.id,
        "company": env.company.id,
        "currency": product.currency_id.id,
        "team": team.id,
        "days": months * 30,
        "last": LAST_MONTH_END,
    }
    cr.execute(
        """
        INSERT INTO loan_application (name, partner_id, product_id, amount, term, stage_id,
                                      company_id, currency_id, stage_kind)
        SELECT 'BENCHR/' || g, (%(partners)s::int[])[1 + g %% 1000], %(product)s, 20000000,
               24, %(stage)s, %(company)s, %(currency)s, 'disbursed'
        FROM generate_series(1, %(n)s) g
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO loan_contract (name, application_id, partner_id, company_id, product_id,
               currency_id, state, amount, term, rate, start_date, disbursed_date,
               outstanding_principal, penalty_rate, penalty_cap, instalment_order,
               component_order, upfront_fees, instalment_fee, team_id)
        SELECT 'HD/BENCHR/' || a.id, a.id, a.partner_id, a.company_id, a.product_id,
               a.currency_id, 'active', 20000000, 24, 28, d.start, d.start,
               20000000, 0.05, 10, 'oldest_first', 'penalty,fees,interest,principal', 0, 0,
               %(team)s
        FROM loan_application a
        CROSS JOIN LATERAL (SELECT %(last)s::date - (a.id %% %(days)s) AS start) d
        WHERE a.product_id = %(product)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO loan_contract_line (contract_id, company_id, currency_id, sequence,
               due_date, days, opening_balance, principal, interest, fee, instalment,
               closing_balance, principal_paid, interest_paid, fee_paid, penalty,
               penalty_paid, recognised, interest_recognised, dpd, paid_date)
        SELECT c.id, c.company_id, c.currency_id, s.seq, x.due, 30, 0,
               833333, 400000, 0, 1233333, 0,
               CASE WHEN x.paid THEN 833333 ELSE 0 END,
               CASE WHEN x.paid THEN 400000 ELSE 0 END, 0, 0, 0,
               x.due <= %(last)s, CASE WHEN x.due <= %(last)s THEN 400000 ELSE 0 END, 0,
               CASE WHEN x.paid THEN x.due END
        FROM loan_contract c
        CROSS JOIN generate_series(1, 24) s(seq)
        CROSS JOIN LATERAL (
            SELECT (c.start_date + s.seq * interval '1 month')::date AS due,
                   (c.start_date + s.seq * interval '1 month')::date <= %(last)s
                   AND NOT (c.id %% 10 = 0
                            AND (c.start_date + s.seq * interval '1 month')::date
                                >= c.start_date + (c.id %% 7 + 1) * 30) AS paid
        ) x
        WHERE c.product_id = %(product)s
        """,
        params,
    )
    receipts(env, product, params)
    # the history at each month end: one contract in ten stops paying after 1 to 7
    # months; days past due and class from then, principal amortised month by month
    cr.execute(
        """
        INSERT INTO loan_contract_dpd (contract_id, company_id, currency_id, partner_id,
               date, dpd, overdue_amount, outstanding_principal, classification_id, state)
        SELECT c.id, c.company_id, c.currency_id, c.partner_id, e.day, x.dpd,
               CASE WHEN x.dpd > 0 THEN 1233333 * CEIL(x.dpd / 30.0) ELSE 0 END,
               20000000 - 833333 * LEAST(x.mob, 24), k.id,
               CASE WHEN x.dpd > 0 THEN 'overdue' ELSE 'active' END
        FROM loan_contract c
        CROSS JOIN unnest(%(ends)s::date[]) AS e(day)
        CROSS JOIN LATERAL (
            SELECT CASE WHEN c.id %% 10 = 0
                        THEN GREATEST(0, e.day - (c.start_date + (c.id %% 7 + 1) * 30 + 30))
                        ELSE 0 END AS dpd,
                   ((EXTRACT(YEAR FROM e.day) - EXTRACT(YEAR FROM c.start_date)) * 12
                    + EXTRACT(MONTH FROM e.day) - EXTRACT(MONTH FROM c.start_date))::int AS mob
        ) x
        LEFT JOIN LATERAL (
            SELECT id FROM loan_classification
             WHERE min_dpd <= x.dpd AND (max_dpd = -1 OR max_dpd >= x.dpd)
             ORDER BY min_dpd DESC LIMIT 1
        ) k ON TRUE
        WHERE c.product_id = %(product)s AND e.day >= c.start_date
        """,
        dict(params, ends=ends),
    )
    cr.execute("ANALYZE loan_application")
    cr.execute("ANALYZE loan_contract")
    cr.execute("ANALYZE loan_contract_line")
    cr.execute("ANALYZE loan_contract_dpd")
    cr.execute("SELECT count(*) FROM loan_contract_dpd WHERE date = ANY(%s)", [ends])
    rows = cr.fetchone()[0]
    out(
        "portfolio: %d contracts over %d months, %d instalments, %d month-end history rows,"
        " generated in SQL in %.1f s"
        % (count, len(ends), count * 24, rows, time.perf_counter() - t0)
    )
    return product, team


def receipts(env, product, params):
    """A receipt per instalment paid (on its due date: principal and interest), and the
    books: the payout and each principal repaid on the product's loan receivable
    account, the interest recognised on each instalment due on its income account (one
    posted entry holds the lines: the reports read lines, not entries)."""
    cr = env.cr
    params = dict(
        params,
        journal=product.journal_id.id,
        receivable=product.account_receivable_id.id,
        income=product.account_interest_income_id.id,
    )
    cr.execute(
        """
        INSERT INTO loan_receipt (contract_id, partner_id, company_id, currency_id,
               journal_id, name, state, date, amount, advance_amount, create_uid)
        SELECT l.contract_id, c.partner_id, c.company_id, c.currency_id, %(journal)s,
               'BENCHR/R/' || l.id, 'posted', l.due_date, 1233333, 0, 1
          FROM loan_contract_line l
          JOIN loan_contract c ON c.id = l.contract_id
         WHERE c.product_id = %(product)s AND l.paid_date IS NOT NULL
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO loan_receipt_line (receipt_id, contract_line_id, component, amount)
        SELECT r.id, l.id, k.component, k.amount
          FROM loan_receipt r
          JOIN loan_contract_line l
            ON l.contract_id = r.contract_id AND l.due_date = r.date
          CROSS JOIN (VALUES ('principal', 833333), ('interest', 400000)) k(component, amount)
         WHERE r.name LIKE 'BENCHR/R/%%'
        """
    )
    cr.execute(
        """
        INSERT INTO account_move (journal_id, company_id, currency_id, state, move_type,
               auto_post, date, name)
        VALUES (%(journal)s, %(company)s, %(currency)s, 'posted', 'entry', 'no', %(last)s,
                'BENCHR/BOOKS')
        RETURNING id
        """,
        params,
    )
    params["move"] = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO account_move_line (move_id, journal_id, company_id, currency_id,
               company_currency_id, display_type, parent_state, date, account_id,
               loan_contract_id, balance, debit, credit, amount_currency)
        SELECT %(move)s, %(journal)s, c.company_id, c.currency_id, c.currency_id, 'product',
               'posted', x.date, x.account, c.id, x.balance, GREATEST(x.balance, 0),
               GREATEST(-x.balance, 0), x.balance
          FROM loan_contract c
          CROSS JOIN LATERAL (
                SELECT c.disbursed_date AS date, %(receivable)s AS account,
                       c.amount AS balance
                UNION ALL
                SELECT l.paid_date, %(receivable)s, -l.principal_paid
                  FROM loan_contract_line l
                 WHERE l.contract_id = c.id AND l.paid_date IS NOT NULL
                UNION ALL
                SELECT l.due_date, %(income)s, -l.interest_recognised
                  FROM loan_contract_line l
                 WHERE l.contract_id = c.id AND l.recognised
          ) x
         WHERE c.product_id = %(product)s
        """,
        params,
    )
    cr.execute("SELECT count(*) FROM account_move_line WHERE move_id = %s", [params["move"]])
    lines = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM loan_receipt WHERE name LIKE 'BENCHR/R/%%'")
    out("  %d receipts and %d journal items generated" % (cr.fetchone()[0], lines))
    for table in ("loan_receipt", "loan_receipt_line", "account_move_line"):
        cr.execute("ANALYZE %s" % table)


def timed(label, func, *args, **kwargs):
    t0 = time.perf_counter()
    result = func(*args, **kwargs)
    out("%s: %.2f s" % (label, time.perf_counter() - t0))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of one month end's snapshot"
    )
    args = parser.parse_args()
    with odoo_env(["loan_reporting"], drop=True) as env:
        ends = month_ends(args.months)
        product, _team = build(env, args.contracts, args.months, ends)
        Snapshot = env["loan.portfolio.snapshot"]
        Daily = env["loan.portfolio.daily"]
        cr = env.cr
        if args.explain:
            from odoo.tools import SQL  # noqa: PLC0415

            cr.execute(
                SQL(
                    "EXPLAIN (ANALYZE, BUFFERS) %s",
                    Snapshot._rows_sql(ends[-2], receivables="estimated"),
                )
            )
            out("\n".join(row[0] for row in cr.fetchall()))
            cr.execute(
                "SELECT contract_id FROM loan_contract_dpd WHERE date = %s LIMIT 5000",
                [ends[-1]],
            )
            sample = [row[0] for row in cr.fetchall()]
            cr.execute(
                SQL(
                    "EXPLAIN (ANALYZE, BUFFERS) %s",
                    Snapshot._rows_sql(ends[-1], sample, receivables="exact"),
                )
            )
            out("\n".join(row[0] for row in cr.fetchall()))
        # history: the month ends before the last one, rebuilt from the history
        Roll = env["report.loan.roll.rate"]
        Efficiency = env["report.loan.collection.efficiency"]
        Finance = env["report.loan.finance.daily"]
        t0 = time.perf_counter()
        for day in ends[:-1]:
            Snapshot._take(day, estimated=True)
            Daily._aggregate(day, from_snapshot=True)
            Roll._fill([day])
            Efficiency._fill([day])
        Finance._fill(date_to=ends[-2])
        cr.execute("SELECT count(*) FROM loan_portfolio_snapshot")
        snapshots = cr.fetchone()[0]
        elapsed = time.perf_counter() - t0
        out(
            "rebuild of %d month ends (snapshots and daily figures): %.1f s, %d snapshot rows,"
            " %.1f s per month end" % (len(ends) - 1, elapsed, snapshots, elapsed / (len(ends) - 1))
        )
        # as the server finds a portfolio the end of day wrote over months: committed,
        # vacuumed and analysed (rows just inserted by the timing transaction itself are
        # slower to read: their visibility is checked row by row)
        cr.commit()
        vacuum(
            env,
            "loan_contract",
            "loan_contract_line",
            "loan_contract_dpd",
            "loan_receipt",
            "loan_receipt_line",
            "account_move",
            "account_move_line",
            "loan_portfolio_snapshot",
            "loan_portfolio_daily",
            "report_loan_roll_rate",
            "report_loan_collection_efficiency",
            "report_loan_finance_daily",
        )
        # what the end of day does when the last month end's last chunk is done
        day = ends[-1]
        t0 = time.perf_counter()
        count = Snapshot._take(day)
        taken = time.perf_counter() - t0
        t1 = time.perf_counter()
        Daily._aggregate(day, from_snapshot=True)
        aggregated = time.perf_counter() - t1
        t1 = time.perf_counter()
        Roll._fill([day])
        rolled = time.perf_counter() - t1
        t1 = time.perf_counter()
        Efficiency._fill([day])
        collected = time.perf_counter() - t1
        t1 = time.perf_counter()
        env["res.company"]._loan_post_provisions(day)
        posted = time.perf_counter() - t1
        t1 = time.perf_counter()
        Finance._refresh(day)
        financed = time.perf_counter() - t1
        total = taken + aggregated + rolled + collected + posted + financed
        out(
            "end of day's reporting step on %s: snapshot of %d contracts (with their books)"
            " %.1f s + the date's aggregate %.1f s + roll rates %.1f s"
            " + collection efficiency %.1f s + the provision entry %.1f s"
            " + finance by day %.1f s = %.1f s"
            % (day, count, taken, aggregated, rolled, collected, posted, financed, total)
        )
        # for comparison: the snapshot chunk by chunk, as each chunk's job could
        cr.execute(
            "SELECT contract_id FROM loan_contract_dpd WHERE date = %s ORDER BY contract_id",
            [day],
        )
        ids = [row[0] for row in cr.fetchall()]
        chunks = [ids[i : i + args.chunk] for i in range(0, len(ids), args.chunk)]
        cr.execute("DELETE FROM loan_portfolio_snapshot WHERE date = %s", [day])
        t0 = time.perf_counter()
        for part in chunks:
            Snapshot._take(day, part)
        out(
            "  for comparison, the snapshot chunk by chunk (%d chunks of %d): %.1f s"
            % (len(chunks), args.chunk, time.perf_counter() - t0)
        )
        # any other date: the aggregate and the month's collection efficiency
        other = day - timedelta(days=1)
        t1 = time.perf_counter()
        Efficiency._fill([other])
        out(
            "  on another date, collection efficiency of its month: %.1f s"
            % (time.perf_counter() - t1)
        )
        for table in ("loan_portfolio_snapshot", "loan_portfolio_daily", "report_loan_roll_rate"):
            cr.execute("ANALYZE %s" % table)
        # reports as a Lending Manager: the first page each view asks for
        manager = env["res.users"].create(
            {
                "name": "Bench manager",
                "login": "bench_manager",
                "group_ids": [(6, 0, [env.ref("loan_base.group_loan_manager").id])],
            }
        )
        menv = env(user=manager.id)
        env.flush_all()
        env.invalidate_all()
        pages = [
            (
                "portfolio pivot (latest date by classification)",
                "loan.portfolio.daily",
                [("is_latest", "=", True)],
                ["classification_id"],
                ["outstanding_principal:sum", "par30_amount:sum", "npl_amount:sum"],
            ),
            (
                "portfolio trend (month ends by month)",
                "loan.portfolio.daily",
                [("is_month_end", "=", True)],
                ["date:month"],
                ["outstanding_principal:sum", "par30_amount:sum"],
            ),
            (
                "roll rates pivot (last month, from x to bucket)",
                "report.loan.roll.rate",
                [("date", "=", day)],
                ["from_bucket_id", "to_bucket_id"],
                ["amount:sum", "contract_count:sum"],
            ),
            (
                "vintages pivot (cohort x months on book)",
                "report.loan.vintage",
                [],
                ["cohort:month", "months_on_book"],
                ["share_30:avg"],
            ),
            (
                "month-end snapshots graph (month by classification)",
                "loan.portfolio.snapshot",
                [],
                ["date:month", "classification_id"],
                ["outstanding_principal:sum"],
            ),
        ]
        for label, model, domain, groupby, aggregates in pages:
            menv.invalidate_all()
            timed(
                "  " + label,
                menv[model].web_read_group,
                domain,
                groupby,
                aggregates,
            )
        menv.invalidate_all()
        timed(
            "  month-end snapshots list (first 80 rows and count)",
            menv["loan.portfolio.snapshot"].web_search_read,
            [("date", "=", day)],
            {
                "contract_id": {"fields": {"display_name": {}}},
                "partner_id": {"fields": {"display_name": {}}},
                "dpd": {},
                "classification_id": {"fields": {"display_name": {}}},
                "outstanding_principal": {},
                "specific_provision": {},
            },
            limit=80,
        )
        menv.invalidate_all()
        triangle = timed(
            "  vintage triangle of every cohort", menv["report.loan.vintage"]._triangle
        )
        out("    %d cohorts, %d cells" % (len(triangle), sum(len(r) for r in triangle.values())))
        pack = menv["loan.management.pack"].create({"date_from": ends[-12], "date_to": day})
        pack_data = pack._checked_data({"date_from": str(ends[-12]), "date_to": str(day)})
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        content, _kind = menv["ir.actions.report"]._render_xlsx(
            "loan_reporting.management_pack_xlsx", pack.ids, data=pack_data
        )
        out(
            "management pack XLSX, 12 months: %.1f s, %.2f MB file, process peak memory %.0f MB"
            " (%.0f MB before)"
            % (
                time.perf_counter() - t0,
                len(content) / 1e6,
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                rss0,
            )
        )
        # the classification list of the last month end, in XLSX
        wizard = menv["loan.classification.list"].create({"date": day})
        data = wizard._checked_data({"date": str(day), "company_ids": []})
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        content, _kind = menv["ir.actions.report"]._render_xlsx(
            "loan_reporting.classification_xlsx", wizard.ids, data=data
        )
        elapsed = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        out(
            "classification list XLSX, %d contracts: %.1f s, %.1f MB file, process peak memory"
            " %.0f MB (%.0f MB before)" % (len(ids), elapsed, len(content) / 1e6, rss1, rss0)
        )
        # the dashboards, as the web client opens them
        time_dashboards(menv, day + timedelta(days=1))


if __name__ == "__main__":
    main()
