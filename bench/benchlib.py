"""What the benchmarks share: the project-local PostgreSQL, the scratch database and an
Odoo environment whose work is rolled back."""

import contextlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devtool  # noqa: E402

DB = "lending_bench"


def out(msg):
    """Print one figure line at once."""
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


@contextlib.contextmanager
def odoo_env(modules, drop=False):
    """Start the project cluster (as ./dev does), install ``modules`` into the scratch
    database ``lending_bench`` and yield a superuser environment; what is not committed
    is rolled back. ``drop``: drop the scratch database at the end (a benchmark that
    commits its data, to time it as the server reads it: analysed, visible to all)."""
    with devtool.database_server() as (run_conf, _opts):
        subprocess.run(
            devtool.odoo_cmd(
                run_conf,
                "-d",
                DB,
                "-i",
                ",".join(modules),
                # loan_base: every loan module installed is upgraded with it, so that a
                # module never runs on the stale models of one it depends on
                "-u",
                "loan_base",
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
        try:
            with Registry(DB).cursor() as cr:
                yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                cr.rollback()
        finally:
            if drop:
                from odoo import sql_db  # noqa: PLC0415

                # as Odoo's database manager drops one, which list_db = False turns off
                Registry.delete(DB)
                sql_db.close_db(DB)
                with contextlib.closing(sql_db.db_connect("postgres").cursor()) as cr:
                    cr._cnx.autocommit = True
                    cr.execute('DROP DATABASE IF EXISTS "%s"' % DB)


def vacuum(env, *tables):
    """VACUUM ANALYZE ``tables`` of ``env``'s database (committed rows), outside any
    transaction, as autovacuum would after a bulk load."""
    from odoo import sql_db  # noqa: PLC0415

    with contextlib.closing(sql_db.db_connect(env.cr.dbname).cursor()) as cr:
        cr._cnx.autocommit = True
        for table in tables:
            cr.execute("VACUUM ANALYZE %s" % table)


def vnd_product(env, name, code, **vals):
    """A VND cash product for a benchmark: 1-100 million, 6-36 months, 28%."""
    vnd = env.ref("base.VND")
    vnd.active = True
    return env["loan.product"].create(
        {
            "name": name,
            "code": code,
            "currency_id": vnd.id,
            "min_amount": 1_000_000,
            "max_amount": 100_000_000,
            "min_term": 6,
            "max_term": 36,
            "rate": 28.0,
            **vals,
        }
    )


@contextlib.contextmanager
def existing_env(conf, dbname):
    """A superuser environment on the existing database ``dbname`` of the Odoo
    configuration file ``conf``, as it is (nothing installed or upgraded); rolled back."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", str(conf), "--log-level", "warn"], setup_logging=True)
    with Registry(dbname).cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        cr.rollback()
