#!/usr/bin/env python3
"""Benchmark: the open time of each lending dashboard. Prints figures.

    python3 bench/dashboard_bench.py --config /work/devdata/wtB.conf --database rB_demo

Opens every dashboard of the Lending group as a Lending Manager (record rules applied)
the way the web client does: the dashboard's data (``/spreadsheet/dashboard/data``: the
empty check and the serialized spreadsheet), the fields of each model it reads, then
every data request of its charts and pivots (``formatted_read_group`` per chart,
``formatted_read_grouping_sets`` per pivot, with their domains, groupbys, measures and
the period filter at its default value). The client sends the requests at once; here
they run one after the other, so the total is their sum on one worker.

``reporting_bench.py`` runs the same on its generated portfolio (``time_dashboards``);
run alone, this script reads an existing database as it is and rolls back.
"""

import argparse
import time
from datetime import date

from benchlib import existing_env, out


def time_dashboards(env, today):
    """Open every lending dashboard in ``env`` (its user's rights), the period filters
    relative to ``today``; print each request's time and each dashboard's total."""
    from odoo.addons.loan_reporting.tests.dashboard_requests import (  # noqa: PLC0415
        dashboard_requests,
    )

    group = env.ref("loan_reporting.spreadsheet_dashboard_group_lending")
    dashboards = env["spreadsheet.dashboard"].search([("dashboard_group_id", "=", group.id)])
    totals = []
    for dashboard in dashboards:
        env.invalidate_all()
        t0 = time.perf_counter()
        dashboard._dashboard_is_empty()
        dashboard._get_serialized_readonly_dashboard()
        loaded = time.perf_counter() - t0
        requests = dashboard_requests(dashboard, today)
        t1 = time.perf_counter()
        for model in sorted({model for _l, model, _m, _a, _k in requests}):
            env[model].fields_get(attributes=["string", "type", "aggregator", "relation"])
        described = time.perf_counter() - t1
        lines = []
        for label, model, method, args, kwargs in requests:
            t1 = time.perf_counter()
            result = getattr(env[model], method)(*args, **kwargs)
            groups = len(result[-1]) if method == "formatted_read_grouping_sets" else len(result)
            lines.append((label, model, time.perf_counter() - t1, groups))
        total = time.perf_counter() - t0
        totals.append((dashboard.name, total))
        out(
            "%s: %.3f s (data %.3f s, fields %.3f s, %d requests)"
            % (dashboard.name, total, loaded, described, len(requests))
        )
        for label, model, elapsed, groups in lines:
            out("    %.3f s  %s (%s, %d groups)" % (elapsed, label, model, groups))
    if totals:
        out("all %d dashboards: %.3f s" % (len(totals), sum(t for _n, t in totals)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="Odoo configuration file")
    parser.add_argument("--database", required=True, help="an existing database")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="the day the period filters are relative to (default: today)",
    )
    args = parser.parse_args()
    with existing_env(args.config, args.database) as env:
        manager = env.ref("loan_base.user_manager_demo", raise_if_not_found=False)
        if not manager:
            manager = env["res.users"].create(
                {
                    "name": "Bench manager",
                    "login": "bench_dashboard_manager",
                    "group_ids": [(6, 0, [env.ref("loan_base.group_loan_manager").id])],
                }
            )
        out("as %s, periods relative to %s" % (manager.login, args.today))
        time_dashboards(env(user=manager.id), args.today)


if __name__ == "__main__":
    main()
