#!/usr/bin/env python3
"""Benchmarks of lead capture and handling in loan_marketing. Prints figures; asserts nothing.

    python3 bench/marketing_bench.py [--leads 20000] [--chunk 1000] [--partners 200000]
        [--existing-leads 200000] [--alloc 10000] [--members 20] [--backlog 5000]
        [--next-calls 10] [--touches 100000] [--senders 20] [--posts 25]
        [--only 1,2,3,4,5] [--profile]
    python3 bench/marketing_bench.py --conf /path/odoo.conf --db bench_mk [...] [--drop-db]

1. capture: ``--leads`` rows through ``crm.lead._loan_capture`` in chunks of ``--chunk``,
   de-duplicated against ``--partners`` partners with a phone and ``--existing-leads`` open
   leads (rows generated in SQL with real blind indexes, dummy ciphertext);
2. allocation: ``--alloc`` new leads without consultant through
   ``loan.lead.allocation.rule._allocate`` (one rule of ``--members`` consultants);
3. next lead: ``--members`` consultants, each in a process of its own (as Odoo's prefork
   workers) with its own cursor and user, calling ``_next_lead`` ``--next-calls`` times
   and committing, over a ``--backlog`` of waiting leads;
4. attribution: ``_read_group`` on ``loan.marketing.attribution`` for one campaign of
   ``--touches`` touches, grouped by channel and attribution model;
5. webhook: an Odoo HTTP server (subprocess, ``--webhook-workers`` prefork workers, as in
   production; 0 for the threaded server) takes ``--senders`` concurrent senders x
   ``--posts`` signed Facebook Lead Ads notifications each.

Without ``--conf``: the project-local PostgreSQL (started like ./dev does) and the scratch
database ``lending_bench`` with loan_marketing installed, as the other benches. With
``--conf``: that configuration's server and ``--db`` (loan_marketing installed already, or
``--install``). Sections 1, 2 and 4 are rolled back; sections 3 and 5 commit (other
cursors and processes must see their rows): what they made is deleted at the end, and
``--drop-db`` drops the database (and its filestore) instead.
"""

import argparse
import contextlib
import cProfile
import hashlib
import hmac
import io
import json
import logging
import os
import pstats
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import DB, ROOT, out

PHONE_PARTNER = "+8498%07d"  # existing persons
PHONE_LEAD = "+8497%07d"  # existing open leads
PHONE_NEW = "+8496%07d"  # new numbers
TAG = "mkbench"


def pct(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100.0
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


@contextlib.contextmanager
def profiled(enabled, label, top=18):
    if not enabled:
        yield
        return
    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(r"loan_|orm/models|mail", top)
        stats.sort_stats("tottime").print_stats(top // 2)
        # who runs the ORM searches and writes
        stats.sort_stats("cumulative").print_callers(
            r"\((search_fetch|write|_compute_field_value)\)"
        )
        out("  profile of %s (cumulative, then own time, then callers):" % label)
        for line in buf.getvalue().splitlines():
            if line.strip() and ("{" in line or "/" in line or "ncalls" in line):
                out("    " + line.strip()[:200])


# ---------------------------------------------------------------------------- setup
@contextlib.contextmanager
def odoo_registry(args):
    """(registry, conf path, db name): the house cluster and ``lending_bench`` as
    benchlib does, or the given configuration and database."""
    if args.conf:
        conf, db = Path(args.conf).resolve(), args.db
        if args.install:
            subprocess.run(
                [sys.executable, "-m", "odoo", "-c", str(conf), "-d", db, "-i", "loan_marketing"]
                + ["--stop-after-init", "--log-level", "warn", "--http-port", "8091"],
                check=True,
                cwd=ROOT,
            )
        yield _load(conf, db), conf, db
        return
    import devtool  # noqa: PLC0415  (benchlib put tools/ on the path)

    db = args.db or DB
    with devtool.database_server() as (run_conf, _opts):
        subprocess.run(
            devtool.odoo_cmd(
                run_conf,
                "-d",
                db,
                "-i",
                "loan_marketing",
                "-u",
                "loan_base",
                "--stop-after-init",
                "--log-level",
                "warn",
            ),  # fmt: skip
            check=True,
            cwd=ROOT,
        )
        yield _load(run_conf, db), Path(run_conf), db


def _load(conf, db):
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", str(conf), "--log-level", "warn"], setup_logging=True)
    return Registry(db)


def setup(env, members):
    """Committed: consultants, one allocation rule, the import and Facebook sources, a
    campaign. Returns a dict of what was made (for the cleanup)."""
    company = env.company
    group = env.ref("loan_base.group_loan_officer")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": "Bench consultant %d" % i,
                    "login": "%s_%s_%d" % (TAG, secrets.token_hex(3), i),
                    "company_id": company.id,
                    "company_ids": [(6, 0, [company.id])],
                    "group_ids": [(4, group.id)],
                }
                for i in range(members)
            ]
        )
    )
    rule = env["loan.lead.allocation.rule"].create(
        {
            "name": "Bench rule",
            "sequence": 1,
            "company_id": company.id,
            "tz": "UTC",
            "hour_from": 0.0,
            "hour_to": 24.0,
            "weekdays": "0,1,2,3,4,5,6",
            "member_ids": [(0, 0, {"user_id": u.id}) for u in users],
        }
    )
    campaign = env["utm.campaign"].create(
        {"name": "Bench campaign %s" % secrets.token_hex(3), "loan_is_lending": True}
    )
    channels = env["loan.marketing.channel"].search([])
    by_code = {c.code: c for c in channels}
    Source = env["loan.lead.source"]
    suffix = secrets.token_hex(4)
    imp = Source.create(
        {
            "name": "Bench import",
            "code": "%s-import-%s" % (TAG, suffix),
            "kind": "import",
            "company_id": company.id,
            "channel_id": (by_code.get("event") or channels[0]).id,
            "campaign_id": campaign.id,
        }
    )
    fb_secret = secrets.token_hex(16)
    fb = Source.create(
        {
            "name": "Bench Facebook",
            "code": "%s-fb-%s" % (TAG, suffix),
            "kind": "facebook",
            "company_id": company.id,
            "channel_id": (by_code.get("facebook") or channels[0]).id,
            "campaign_id": campaign.id,
            "fb_app_secret": fb_secret,
            "fb_verify_token": secrets.token_hex(8),
            "fb_page_token": "bench-no-token",
            "replay_window": 3600,
        }
    )
    env.flush_all()
    env.cr.commit()
    return {
        "users": users,
        "rule": rule,
        "campaign": campaign,
        "import": imp,
        "facebook": fb,
        "fb_secret": fb_secret,
        "channels": channels,
        "lead_ids": [],
    }


def cleanup(registry, made):
    """Delete what sections 3 and 5 and the setup committed."""
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"active_test": False})
        sources = [made["import"].id, made["facebook"].id]
        steps = [
            (
                "DELETE FROM queue_job WHERE identity_key = %s",
                ["fb-fetch-%d" % made["facebook"].id],
            ),
            ("DELETE FROM loan_lead_intake WHERE source_id = ANY(%s)", [sources]),
            (
                "DELETE FROM crm_lead WHERE id = ANY(%s) OR loan_source_id = ANY(%s)",
                [made["lead_ids"], sources],
            ),
            ("DELETE FROM loan_lead_allocation_rule WHERE id = %s", [made["rule"].id]),
            ("DELETE FROM loan_lead_source WHERE id = ANY(%s)", [sources]),
            ("DELETE FROM utm_campaign WHERE id = %s", [made["campaign"].id]),
        ]
        for query, params in steps:
            cr.execute(query, params)
        cr.commit()
        users = env["res.users"].browse(made["users"].ids)
        partners = users.partner_id
        try:
            with cr.savepoint():
                cr.execute("DELETE FROM res_users WHERE id = ANY(%s)", [users.ids])
                cr.execute("DELETE FROM res_partner WHERE id = ANY(%s)", [partners.ids])
            what = "users deleted"
        except Exception as exc:
            users.write({"active": False})
            what = "users archived (%s)" % type(exc).__name__
        cr.commit()
    out("cleanup: committed bench rows deleted, %s" % what)


def drop_db(db):
    import odoo  # noqa: PLC0415
    from odoo.service import db as db_service  # noqa: PLC0415

    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)
    db_service.exp_drop(db)
    out("dropped database %s (and its filestore)" % db)


# ---------------------------------------------------------------------------- 1. capture
def generate_existing(env, partners, leads, source):
    """``partners`` persons with a phone and ``leads`` open leads with a phone, in SQL."""
    cr = env.cr
    ring = env["loan.pii.mixin"]._loan_pii_keyring()
    t0 = time.perf_counter()
    if partners:
        # NOT NULL columns without a default that installed modules add (account)
        cr.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'res_partner' AND column_name = 'autopost_bills'"
        )
        if cr.fetchone():
            cr.execute(
                "INSERT INTO res_partner (name, active, is_company, loan_is_borrower, type,"
                " complete_name, autopost_bills) SELECT 'Gen ' || g, true, false, g %% 2 = 0,"
                " 'contact', 'Gen ' || g, 'ask' FROM generate_series(1, %s) g RETURNING id",
                [partners],
            )
        else:
            cr.execute(
                "INSERT INTO res_partner (name, active, is_company, loan_is_borrower, type,"
                " complete_name) SELECT 'Gen ' || g, true, false, g %% 2 = 0,"
                " 'contact', 'Gen ' || g FROM generate_series(1, %s) g RETURNING id",
                [partners],
            )
        ids = [r[0] for r in cr.fetchall()]
        buf = io.StringIO(
            "".join(
                "%d\t%s\tbench-token\t%s\tmobile\tt\tt\n"
                % (pid, ring.blind_index(PHONE_PARTNER % i, "phone"), "098****%03d" % (i % 1000))
                for i, pid in enumerate(ids)
            )
        )
        cr.copy_expert(
            "COPY loan_partner_phone (partner_id, number_bidx, number_enc, number_mask,"
            " phone_type, is_valid, is_primary) FROM STDIN",
            buf,
        )
    if leads:
        buf = io.StringIO(
            "".join(
                "Gen lead %d\tlead\tt\t%d\t%d\t%s\tbench-token\t097****%03d\n"
                % (
                    i,
                    env.company.id,
                    source.id,
                    ring.blind_index(PHONE_LEAD % i, "phone"),
                    i % 1000,
                )
                for i in range(leads)
            )
        )
        cr.copy_expert(
            "COPY crm_lead (name, type, active, company_id, loan_source_id, loan_phone_bidx,"
            " loan_phone_enc, loan_phone_mask) FROM STDIN",
            buf,
        )
    for table in ("res_partner", "loan_partner_phone", "crm_lead"):
        cr.execute("ANALYZE %s" % table)
    out(
        "  generated %d partners with a phone and %d open leads in SQL in %.1f s"
        % (partners, leads, time.perf_counter() - t0)
    )


def capture_rows(count, partners, leads):
    """Rows as an import brings them: 10% an existing lead's number, 10% an existing
    person's, 5% a repeat within the file, the rest new."""
    rows = []
    for i in range(count):
        kind = i % 20
        if kind in (0, 1) and leads:
            phone = PHONE_LEAD % ((i * 7919) % leads)
        elif kind in (2, 3) and partners:
            phone = PHONE_PARTNER % ((i * 104729) % partners)
        elif kind == 4 and i >= 20:
            phone = PHONE_NEW % (i - 15)  # a number new earlier in the file
        else:
            phone = PHONE_NEW % i
        rows.append(
            {
                "name": "Nguyen Van %d" % i,
                "phone": phone,
                "email": "bench%d@example.com" % i if i % 3 == 0 else "",
                "amount": "20000000",
                "term": "12",
                "income": "15000000",
                "consent_data": "yes",
                "consent_marketing": "yes" if i % 2 else "",
                "external_id": "imp-%d" % i,
            }
        )
    return rows


def bench_capture(env, made, args):
    out("1. capture through _loan_capture")
    source = made["import"].sudo()
    generate_existing(env, args.partners, args.existing_leads, source)
    rows = capture_rows(args.leads, args.partners, args.existing_leads)
    Lead = env["crm.lead"]
    statuses = {}
    per_chunk = []
    t0 = time.perf_counter()
    with profiled(args.profile, "capture"):
        for start in range(0, len(rows), args.chunk):
            c0 = time.perf_counter()
            for result in Lead._loan_capture(source, rows[start : start + args.chunk]):
                statuses[result["status"]] = statuses.get(result["status"], 0) + 1
            env.flush_all()
            per_chunk.append(time.perf_counter() - c0)
    elapsed = time.perf_counter() - t0
    out(
        "  %d rows in %d chunks of %d against %d partners + %d open leads: %.1f s, "
        "%.0f leads/s (target >= 2000/s)"
        % (
            len(rows),
            len(per_chunk),
            args.chunk,
            args.partners,
            args.existing_leads,
            elapsed,
            len(rows) / elapsed,
        )
    )
    out(
        "  chunk: median %.2f s, first %.2f s, last %.2f s; results %s"
        % (statistics.median(per_chunk), per_chunk[0], per_chunk[-1], statuses)
    )
    env.cr.rollback()
    env.invalidate_all()


# ---------------------------------------------------------------------------- 2. allocation
def sql_leads(env, count, source, campaign=None, channel=None, prefix="Bench lead"):
    """``count`` lending leads without consultant, in SQL; their ids."""
    env.flush_all()
    env.cr.execute(
        "INSERT INTO crm_lead (name, type, active, company_id, loan_source_id, loan_channel_id,"
        " campaign_id, loan_captured_at, create_date, write_date, loan_phone_bidx)"
        " SELECT %s || ' ' || g, 'lead', true, %s, %s, %s, %s, now() at time zone 'utc'"
        " - g * interval '1 second', now() at time zone 'utc', now() at time zone 'utc',"
        " md5(%s || g) FROM generate_series(1, %s) g RETURNING id",
        [
            prefix,
            env.company.id,
            source.id,
            (channel or source.channel_id).id,
            (campaign or source.campaign_id).id or None,
            prefix,
            count,
        ],
    )
    ids = [r[0] for r in env.cr.fetchall()]
    env.cr.execute("ANALYZE crm_lead")
    return ids


def bench_allocation(env, made, args):
    out("2. allocation")
    ids = sql_leads(env, args.alloc, made["import"])
    leads = env["crm.lead"].browse(ids)
    t0 = time.perf_counter()
    with profiled(args.profile, "allocation"):
        assigned = env["loan.lead.allocation.rule"]._allocate(leads)
        env.flush_all()
    elapsed = time.perf_counter() - t0
    env.cr.execute(
        "SELECT COUNT(DISTINCT user_id), MIN(n), MAX(n) FROM (SELECT user_id, COUNT(*) n"
        " FROM crm_lead WHERE id = ANY(%s) GROUP BY user_id) s",
        [ids],
    )
    users, low, high = env.cr.fetchone()
    out(
        "  %d leads, rule of %d consultants: %.2f s, %.0f leads/s (target < 10 s); "
        "%d assigned, %d consultants, %s-%s leads each"
        % (
            len(ids),
            len(made["users"]),
            elapsed,
            len(ids) / elapsed,
            len(assigned),
            users,
            low,
            high,
        )
    )
    env.cr.rollback()
    env.invalidate_all()


# ---------------------------------------------------------------------------- 3. next lead
def _consultant(dbname, uid, calls, barrier, results):
    """One consultant, in a process of its own as in Odoo's prefork server: asks for the
    next lead ``calls`` times, each ask a request (retried on a serialization failure as
    Odoo's dispatch does), then calls the lead (not timed) so that the next ask gets
    another."""
    from contextlib import closing  # noqa: PLC0415

    import odoo.sql_db as sql_db  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.service.model import retrying  # noqa: PLC0415

    sql_db._Pool = None  # this process's own connections, not the parent's
    latencies, taken = [], []
    try:
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            env = api.Environment(cr, uid, {"tracking_disable": True})
            Rule = env["loan.lead.allocation.rule"]
            env["crm.lead"].search_count([])  # warm the process before the start
            cr.commit()  # pylint: disable=invalid-commit
            barrier.wait(timeout=120)
            for _n in range(calls):
                t0 = time.perf_counter()
                lead = retrying(lambda: Rule._next_lead(env.user), env)
                cr.commit()  # pylint: disable=invalid-commit
                latencies.append((time.perf_counter() - t0) * 1000)
                taken.append(lead.id or None)
                if lead:
                    cr.execute(
                        "UPDATE crm_lead SET loan_first_contact_at = now() WHERE id = %s",
                        [lead.id],
                    )
                    cr.commit()  # pylint: disable=invalid-commit
                env.invalidate_all()
        results.put(("ok", latencies, taken))
    except Exception as exc:  # reported by the parent
        results.put(("error", repr(exc), []))


def _next_lead_run(registry, made, args, ids, label):
    import multiprocessing  # noqa: PLC0415

    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(made["users"]))
    results = ctx.Queue()
    procs = [
        ctx.Process(
            target=_consultant,
            args=(registry.db_name, u.id, args.next_calls, barrier, results),
        )
        for u in made["users"]
    ]
    t0 = time.perf_counter()
    for proc in procs:
        proc.start()
    latencies, taken, errors = [], [], []
    for _proc in procs:
        kind, value, got = results.get(timeout=600)
        if kind == "ok":
            latencies += value
            taken += got
        else:
            errors.append(value)
    for proc in procs:
        proc.join()
    wall = time.perf_counter() - t0
    got = [x for x in taken if x]
    out(
        "  %s: %d calls (%d consultants, one process each, x %d) over %d waiting leads: "
        "median %.1f ms, p95 %.1f ms, max %.1f ms (target median < 50 ms); wall %.1f s"
        % (
            label,
            len(latencies),
            len(procs),
            args.next_calls,
            len(ids),
            statistics.median(latencies) if latencies else float("nan"),
            pct(latencies, 95),
            max(latencies) if latencies else float("nan"),
            wall,
        )
    )
    out(
        "    leads taken: %d, distinct %d, empty answers %d, errors %d%s"
        % (
            len(got),
            len(set(got)),
            len(taken) - len(got),
            len(errors),
            (": " + errors[0][:200]) if errors else "",
        )
    )


def bench_next_lead(registry, env, made, args):
    """Two runs: the leads the rule allocated on capture (the consultant's own, due
    first: what "next lead" hands out while the rules find a consultant), then the shared
    pool (leads no member could take: over their maximum, or no rule matched), each taken
    for the consultant who asks."""
    out("3. next lead, %d consultants at once" % len(made["users"]))
    # Odoo logs each serialization failure as a "bad query" ERROR: retried, not an error
    logging.getLogger("odoo.sql_db").setLevel(logging.CRITICAL)
    ids = sql_leads(env, args.backlog, made["import"], prefix="Bench allocated")
    made["lead_ids"] += ids
    allocated = env["loan.lead.allocation.rule"]._allocate(env["crm.lead"].browse(ids))
    env.flush_all()
    env.cr.commit()
    out("  the rule allocated %d of %d new leads" % (len(allocated), len(ids)))
    env.cr.execute("ANALYZE crm_lead")
    env.cr.commit()
    _next_lead_run(registry, made, args, ids, "allocated on capture")
    # out of the way: contacted
    env.cr.execute("UPDATE crm_lead SET loan_first_contact_at = now() WHERE id = ANY(%s)", [ids])
    pool = sql_leads(env, args.backlog, made["import"], prefix="Bench waiting")
    made["lead_ids"] += pool
    env.cr.commit()
    env.cr.execute("ANALYZE crm_lead")
    env.cr.commit()
    _next_lead_run(registry, made, args, pool, "shared pool, taken on asking")


# ---------------------------------------------------------------------------- 4. attribution
def bench_attribution(env, made, args):
    out("4. attribution")
    cr = env.cr
    campaign = made["campaign"]
    channels = made["channels"]
    source = made["import"]
    t0 = time.perf_counter()
    nleads = max(1, args.touches // 2)
    ids = sql_leads(env, nleads, source, prefix="Bench attributed")
    # touches: two per lead on average, over the channels, spread over 90 days
    cr.execute(
        """
        INSERT INTO loan_lead_touch (lead_id, company_id, source_id, campaign_id, channel_id,
                                     touched_at, sequence)
        SELECT (%(ids)s::int[])[1 + (g * 7919) %% %(n)s], %(company)s, %(source)s,
               %(campaign)s, (%(channels)s::int[])[1 + g %% %(nch)s],
               now() at time zone 'utc' - (g %% 129600) * interval '1 minute', 1
          FROM generate_series(1, %(touches)s) g
        """,
        {
            "ids": ids,
            "n": len(ids),
            "company": env.company.id,
            "source": source.id,
            "campaign": campaign.id,
            "channels": channels.ids,
            "nch": len(channels),
            "touches": args.touches,
        },
    )
    cr.execute("ANALYZE loan_lead_touch")
    cr.execute("SELECT COUNT(*) FROM loan_lead_touch")
    total = cr.fetchone()[0]
    out(
        "  generated %d leads and %d touches of the campaign in SQL in %.1f s (%d touches "
        "in the table)" % (nleads, args.touches, time.perf_counter() - t0, total)
    )
    Attribution = env["loan.marketing.attribution"]
    domain = [("campaign_id", "=", campaign.id)]
    aggregates = [
        "__count",
        "credit:sum",
        "application_credit:sum",
        "disbursed_credit:sum",
        "disbursed_amount:sum",
        "collected_amount:sum",
    ]
    timings = []
    with profiled(args.profile, "attribution"):
        for _i in range(args.repeat):
            env.invalidate_all()
            t0 = time.perf_counter()
            groups = Attribution._read_group(domain, ["channel_id", "model"], aggregates)
            timings.append(time.perf_counter() - t0)
    rows = sum(g[2] for g in groups)
    credit = {}
    for g in groups:
        credit[g[1]] = credit.get(g[1], 0) + g[3]
    out(
        "  _read_group by channel and model, campaign of %d touches: median %.2f s, min "
        "%.2f s, max %.2f s (%d runs; target < 5 s); %d groups over %d rows, lead credit %s"
        % (
            args.touches,
            statistics.median(timings),
            min(timings),
            max(timings),
            len(timings),
            len(groups),
            rows,
            {k: round(v) for k, v in credit.items()},
        )
    )
    cr.rollback()
    env.invalidate_all()


# ---------------------------------------------------------------------------- 5. webhook
def _fb_body(source_id, n):
    now = int(time.time())
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "100200300",
                    "time": now,
                    "changes": [
                        {
                            "field": "leadgen",
                            "value": {
                                "leadgen_id": "bench-%d-%d" % (source_id, n),
                                "page_id": "100200300",
                                "form_id": "555",
                                "created_time": now,
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()


def _fb_post(conn, path, secret, body):
    """One signed POST on the keep-alive connection ``conn``: (ms, status, text)."""
    sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    t0 = time.perf_counter()
    conn.request(
        "POST",
        path,
        body=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": sig},
    )
    resp = conn.getresponse()
    text = resp.read()
    return (time.perf_counter() - t0) * 1000, resp.status, text[:200].decode(errors="replace")


def _fb_sender(port, path, secret, source_id, first, posts, barrier, results):
    """One sender, in a process of its own (as the platform's senders are independent of
    each other): ``posts`` signed notifications on one keep-alive connection."""
    import http.client  # noqa: PLC0415

    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        bodies = [_fb_body(source_id, first + i) for i in range(posts)]
        barrier.wait(timeout=120)
        results.put(("ok", [_fb_post(conn, path, secret, body) for body in bodies]))
        conn.close()
    except Exception as exc:  # reported by the parent
        results.put(("error", repr(exc)))


def bench_webhook(conf, db, made, args):
    import http.client  # noqa: PLC0415
    import multiprocessing  # noqa: PLC0415

    import requests  # noqa: PLC0415

    out("5. webhook intake")
    port = args.http_port
    log_path = Path("/tmp/marketing_bench_http_%s.log" % db)
    cmd = [
        sys.executable, "-m", "odoo", "-c", str(conf), "-d", db, "--http-port", str(port),
        "--workers", str(args.webhook_workers), "--max-cron-threads", "0",
        "--load", "base,rpc,web",
        "--log-level", "warn", "--logfile", str(log_path),
    ]  # fmt: skip
    # --load without queue_job: no job runner, so no queued job calls the Graph API here
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    path = "/loan/webhook/facebook/%s" % made["facebook"].code
    secret = made["fb_secret"].encode()
    source_id = made["facebook"].id
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError("the HTTP server stopped; see %s" % log_path)
            try:
                if requests.get(base + "/web/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.time() > deadline:
                raise RuntimeError("the HTTP server did not answer; see %s" % log_path)
            time.sleep(0.5)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        warm = [
            _fb_post(conn, path, secret, _fb_body(source_id, 10**8 + i)) for i in range(args.warmup)
        ]
        conn.close()
        if warm and warm[-1][1] != 200:
            out("  warm-up answer: %s %s" % (warm[-1][1], warm[-1][2]))
        ctx = multiprocessing.get_context("fork")
        barrier = ctx.Barrier(args.senders + 1)
        queue = ctx.Queue()
        senders = [
            ctx.Process(
                target=_fb_sender,
                args=(port, path, secret, source_id, i * args.posts, args.posts, barrier, queue),
            )
            for i in range(args.senders)
        ]
        for sender in senders:
            sender.start()
        barrier.wait(timeout=120)
        t0 = time.perf_counter()
        results, errors = [], []
        for _sender in senders:
            kind, value = queue.get(timeout=600)
            (results.extend if kind == "ok" else errors.append)(value)
        wall = time.perf_counter() - t0
        for sender in senders:
            sender.join()
        if errors:
            out("  sender errors: %s" % errors[:3])
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
    lat = [r[0] for r in results]
    codes = {}
    for r in results:
        codes[r[1]] = codes.get(r[1], 0) + 1
    out(
        "  %d signed POSTs (%d senders, a process each, x %d on a keep-alive connection), "
        "server --workers %d: p50 %.1f ms, p95 %.1f ms, max %.1f ms (target p95 < 150 ms); "
        "%.0f requests/s; status %s"
        % (
            len(results),
            args.senders,
            args.posts,
            args.webhook_workers,
            pct(lat, 50),
            pct(lat, 95),
            max(lat),
            len(results) / wall,
            codes,
        )
    )
    bad = [r for r in results if r[1] != 200]
    if bad:
        out("  first non-200 answer: %s %s" % (bad[0][1], bad[0][2]))


# ---------------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", help="an Odoo configuration (default: the project cluster)")
    parser.add_argument("--db", help="database (default %s with the project cluster)" % DB)
    parser.add_argument("--install", action="store_true", help="with --conf: -i loan_marketing")
    parser.add_argument("--drop-db", action="store_true", help="drop the database at the end")
    parser.add_argument("--only", default="1,2,3,4,5", help="sections to run, e.g. 1,4")
    parser.add_argument("--leads", type=int, default=20_000)
    parser.add_argument("--chunk", type=int, default=1000)
    parser.add_argument("--partners", type=int, default=200_000)
    parser.add_argument("--existing-leads", type=int, default=200_000)
    parser.add_argument("--alloc", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--backlog", type=int, default=5000)
    parser.add_argument("--next-calls", type=int, default=10)
    parser.add_argument("--touches", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--senders", type=int, default=20)
    parser.add_argument("--posts", type=int, default=25)
    parser.add_argument(
        "--webhook-workers",
        type=int,
        default=2 * (os.cpu_count() or 1) + 1,
        help="the HTTP server's --workers (0: threaded; default: Odoo's advice of two a"
        " core plus one)",
    )
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--http-port", type=int, default=8090)
    parser.add_argument("--profile", action="store_true", help="cProfile sections 1, 2, 4")
    args = parser.parse_args()
    if args.conf and not args.db:
        parser.error("--conf needs --db")
    only = {int(x) for x in args.only.split(",") if x.strip()}

    import odoo  # noqa: PLC0415

    with odoo_registry(args) as (registry, conf, db):
        out("database %s, configuration %s" % (db, conf))
        made = None
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                made = setup(env, args.members)
                if 1 in only:
                    bench_capture(env, made, args)
                if 2 in only:
                    bench_allocation(env, made, args)
                if 4 in only:
                    bench_attribution(env, made, args)
                if 3 in only:
                    bench_next_lead(registry, env, made, args)
                cr.rollback()
                made = {
                    k: (v.with_env(env) if hasattr(v, "with_env") else v) for k, v in made.items()
                }
                if 5 in only:
                    # the server process reads what the setup committed
                    bench_webhook(conf, db, made, args)
                cr.rollback()
        finally:
            if made and not args.drop_db:
                cleanup(registry, made)
        if args.drop_db:
            drop_db(db)
            shutil.rmtree(Path(odoo.tools.config["data_dir"]) / "filestore" / db, True)


if __name__ == "__main__":
    main()
