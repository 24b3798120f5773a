#!/usr/bin/env python3
"""Benchmark: collection at scale. Prints figures.

    python3 bench/collection_bench.py [--cases 50000] [--collectors 20] [--calls 25]

With ``--cases`` delinquent borrowers' cases in the buckets 1-30 to over 180 days:

- strategy evaluation and worklist build for one day: every case gets its strategy (a
  champion with a 30% challenger) and the day's due steps are carried out;
- "next case" latency under load: ``--collectors`` collectors of one team, each in its own
  process with its own database connection (as Odoo's prefork workers), ask for their next
  case ``--calls`` times at once;
- a team lead balancing every case over the team, and the team KPIs and SLAs over a month
  of work (three calls per case, a promise for one case in five) per collector, team and
  bucket.

Uses the project-local PostgreSQL and the scratch database ``lending_bench``. The latency
part needs committed data: what the benchmark creates is committed, then deleted at the end.
"""

import argparse
import multiprocessing
import statistics
import time
import uuid
from contextlib import closing
from datetime import date

from benchlib import odoo_env, out

DAY = date(2026, 11, 23)


def setup(env, count, collectors):
    tag = uuid.uuid4().hex[:6]
    group = env.ref("loan_base.group_loan_collector")
    users = env["res.users"].create(
        [
            {
                "name": "Bench collector %s" % n,
                "login": "bench_%s_%s" % (tag, n),
                "group_ids": [(6, 0, group.ids)],
            }
            for n in range(collectors)
        ]
    )
    team = env["loan.team"].create(
        {"name": "Bench team %s" % tag, "kind": "collection", "member_ids": [(6, 0, users.ids)]}
    )
    buckets = env["loan.collection.bucket"].search([("min_dpd", ">", 0)])
    queue = env["loan.collection.queue"].create(
        {
            "name": "Bench %s" % tag,
            "sequence": 0,
            "team_id": team.id,
            "bucket_ids": [(6, 0, buckets.ids)],
        }
    )
    Strategy = env["loan.collection.strategy"]
    challenger = Strategy.create(
        {
            "name": "Bench challenger %s" % tag,
            "step_ids": [(0, 0, {"sequence": 1, "name": "Call", "channel": "call"})],
        }
    )
    champion = Strategy.create(
        {
            "name": "Bench champion %s" % tag,
            "sequence": 0,
            "bucket_ids": [(6, 0, buckets.ids)],
            "challenger_id": challenger.id,
            "challenger_share": 30.0,
            "step_ids": [
                (0, 0, {"sequence": 1, "name": "Call", "channel": "call"}),
                (0, 0, {"sequence": 2, "name": "Visit", "channel": "visit", "delay_days": 7}),
            ],
        }
    )
    t0 = time.perf_counter()
    partners = (
        env["res.partner"]
        .with_context(tracking_disable=True)
        .create(
            [
                {"name": "Bench debtor %s %s" % (tag, n), "loan_is_borrower": True}
                for n in range(count)
            ]
        )
    )
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO loan_collection_case (name, partner_id, company_id, state, dpd,
               overdue_amount, bucket_id, queue_id, team_id, priority, opened_on)
        SELECT 'TH/BENCH/' || p.id, p.id, %(company)s, 'open', d.dpd,
               1000000 + (p.id %% 50) * 100000,
               (SELECT b.id FROM loan_collection_bucket b
                WHERE b.min_dpd <= d.dpd AND (b.max_dpd = -1 OR b.max_dpd >= d.dpd)
                ORDER BY b.min_dpd DESC LIMIT 1),
               %(queue)s, %(team)s, (1000000 + (p.id %% 50) * 100000) * (1 + d.dpd / 30.0),
               %(day)s
        FROM res_partner p
        CROSS JOIN LATERAL (SELECT 1 + (p.id %% 360) AS dpd) d
        WHERE p.id = ANY(%(ids)s)
        """,
        {
            "company": env.company.id,
            "queue": queue.id,
            "team": team.id,
            "day": DAY,
            "ids": partners.ids,
        },
    )
    env["loan.collection.case"].invalidate_model()
    out(
        "setup: %d borrowers and cases (%.1f s), %d collectors in one team"
        % (count, time.perf_counter() - t0, collectors)
    )
    return {
        "users": users.ids,
        "team": team.id,
        "queue": queue.id,
        "partners": partners.ids,
        "strategies": (champion | challenger).ids,
    }


def strategy_day(env, ids):
    Case = env["loan.collection.case"]
    Strategy = env["loan.collection.strategy"]
    cases = Case.search([("queue_id", "=", ids["queue"])])
    t0 = time.perf_counter()
    Strategy._assign(cases, DAY)
    Strategy._run_steps(cases, DAY)
    env.flush_all()
    elapsed = time.perf_counter() - t0
    challengers = Case.search_count(
        [("queue_id", "=", ids["queue"]), ("strategy_variant", "=", "challenger")]
    )
    out(
        "strategy evaluation and worklist build for one day: %.1f s for %d cases "
        "(%.0f%% challenger, target share 30%%)"
        % (elapsed, len(cases), 100.0 * challengers / len(cases))
    )


def balance(env, ids):
    """A team lead shares every case of the queue out over the team's collectors."""
    Case = env["loan.collection.case"]
    cases = Case.search([("queue_id", "=", ids["queue"])])
    env["res.users"].browse(ids["users"][:5]).write({"loan_collection_capacity": 1000})
    t0 = time.perf_counter()
    wizard = env["loan.collection.assign"].create(
        {"mode": "balance", "case_ids": [(6, 0, cases.ids)]}
    )
    wizard.action_apply()
    env.flush_all()
    elapsed = time.perf_counter() - t0
    loads = [
        count
        for _user, count in Case._read_group(
            [("queue_id", "=", ids["queue"]), ("user_id", "!=", False)], ["user_id"], ["__count"]
        )
    ]
    out(
        "balancing %d cases over %d collectors (5 capped at 1,000 cases): %.1f s; "
        "cases per collector %d to %d"
        % (len(cases), len(ids["users"]), elapsed, min(loads), max(loads))
    )


def kpis(env, ids):
    """Team KPIs over a month of work: three calls per case, a promise for one in five."""
    env.flush_all()
    env.cr.execute(
        """
        INSERT INTO loan_collection_activity (case_id, partner_id, company_id, user_id, channel,
               direction, outcome, state, create_date, write_date, create_uid, write_uid)
        SELECT c.id, c.partner_id, c.company_id, c.user_id, 'call', 'outbound',
               (ARRAY['promise', 'no_answer', 'refused', 'third_party', 'no_answer',
                      'wrong_number', 'paid'])[1 + (c.id + n) %% 7],
               'done', %(day)s::timestamp - (n || ' days')::interval,
               %(day)s::timestamp, 1, 1
        FROM loan_collection_case c CROSS JOIN generate_series(1, 3) n
        WHERE c.queue_id = %(queue)s;
        INSERT INTO loan_promise (case_id, partner_id, company_id, user_id, amount, date,
               date_from, received, state)
        SELECT c.id, c.partner_id, c.company_id, c.user_id, 500000, %(day)s::date - 2,
               %(day)s::date - 9, 0, CASE WHEN c.id %% 3 = 0 THEN 'broken' ELSE 'kept' END
        FROM loan_collection_case c WHERE c.queue_id = %(queue)s AND c.id %% 5 = 0;
        """,
        {"day": DAY, "queue": ids["queue"]},
    )
    env.cr.execute(
        "SELECT count(*) FROM loan_collection_activity a JOIN loan_collection_case c"
        " ON c.id = a.case_id WHERE c.queue_id = %s",
        [ids["queue"]],
    )
    activities = env.cr.fetchone()[0]
    for dimension in ("user", "team", "bucket"):
        report = env["loan.collection.kpi.report"].create(
            {"date_from": "2026-11-01", "date_to": DAY, "dimension": dimension}
        )
        t0 = time.perf_counter()
        report.action_compute()
        elapsed = time.perf_counter() - t0
        out(
            "KPIs and SLAs per %s over a month (%d cases, %d calls): %.2f s, %d rows"
            % (dimension, len(ids["partners"]), activities, elapsed, len(report.line_ids))
        )


def _collector(dbname, uid, calls, barrier, results):
    """One collector, in a process of its own as in Odoo's prefork server."""
    import odoo.sql_db as sql_db  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.service.model import retrying  # noqa: PLC0415

    sql_db._Pool = None  # this process's own connections, not the parent's
    latencies = []
    try:
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            env = api.Environment(cr, uid, {})
            Case = env["loan.collection.case"]
            Case.search_count([])  # warm the process before the start
            cr.commit()  # pylint: disable=invalid-commit
            barrier.wait(timeout=120)
            for _n in range(calls):
                t0 = time.perf_counter()
                # as Odoo serves a request: retried on a serialization failure
                retrying(Case._next_case, env)
                cr.commit()  # pylint: disable=invalid-commit
                latencies.append(time.perf_counter() - t0)
        results.put(("ok", latencies))
    except Exception as exc:  # reported by the parent
        results.put(("error", repr(exc)))


def vacuum_analyze(dbname):
    """What autovacuum does on a live server after the bulk load: the planner's statistics,
    and dead row versions out of the way (outside a transaction)."""
    import psycopg2  # noqa: PLC0415

    import odoo.sql_db as sql_db  # noqa: PLC0415

    # a connection of its own, closed after: none of Odoo's pool, which the collector
    # processes inherit
    _name, info = sql_db.connection_info_for(dbname)
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute("VACUUM ANALYZE loan_collection_case")


def next_case_load(dbname, ids, calls):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(ids["users"]))
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_collector, args=(dbname, uid, calls, barrier, results))
        for uid in ids["users"]
    ]
    t0 = time.perf_counter()
    for proc in procs:
        proc.start()
    latencies, errors = [], []
    for _proc in procs:
        kind, value = results.get(timeout=600)
        (latencies.extend if kind == "ok" else errors.append)(value)
    for proc in procs:
        proc.join()
    wall = time.perf_counter() - t0
    if errors:
        out("errors: %s" % errors[:3])
    latencies.sort()
    out(
        '"next case" under load, %d collectors (one process each) x %d calls (%.1f s, '
        "startup included), each call a request retried on a serialization failure: "
        "median %.0f ms, 95th percentile %.0f ms, max %.0f ms"
        % (
            len(ids["users"]),
            calls,
            wall,
            statistics.median(latencies) * 1000,
            latencies[int(len(latencies) * 0.95) - 1] * 1000,
            latencies[-1] * 1000,
        )
    )


def cleanup(env, ids):
    env["loan.collection.activity"].search([("case_id.queue_id", "=", ids["queue"])]).unlink()
    env["loan.promise"].search([("case_id.queue_id", "=", ids["queue"])]).unlink()
    env["loan.collection.case"].search([("queue_id", "=", ids["queue"])]).unlink()
    env["loan.collection.strategy"].browse(ids["strategies"]).write({"challenger_id": False})
    env["loan.collection.strategy"].browse(ids["strategies"]).unlink()
    env["loan.collection.queue"].browse(ids["queue"]).unlink()
    env["loan.team"].browse(ids["team"]).unlink()
    env["res.partner"].browse(ids["partners"]).unlink()
    env["res.users"].browse(ids["users"]).write({"active": False})
    env.cr.commit()  # pylint: disable=invalid-commit


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--collectors", type=int, default=20)
    parser.add_argument("--calls", type=int, default=25)
    args = parser.parse_args()
    with odoo_env(["loan_collection"]) as env:
        ids = setup(env, args.cases, args.collectors)
        try:
            strategy_day(env, ids)
            env.cr.commit()  # pylint: disable=invalid-commit
            vacuum_analyze(env.cr.dbname)
            next_case_load(env.cr.dbname, ids, args.calls)
            balance(env, ids)
            kpis(env, ids)
            env.cr.commit()  # pylint: disable=invalid-commit
        finally:
            env.cr.rollback()
            cleanup(env, ids)


if __name__ == "__main__":
    main()
