#!/usr/bin/env python3
"""Set up, run and test the lending suite on a fresh machine.

``./dev run``   installs what is missing, starts a project-local PostgreSQL when odoo.conf
                names no reachable server, creates or updates the demo database with every
                loan module and serves it on 127.0.0.1:8069.
``./dev test``  installs what is missing, lints, runs the engine tests without Odoo, then
                installs every loan module into throwaway databases (without and with demo
                data), runs their tests under Odoo's runner, checks an upgrade, runs Odoo's
                own suites of the apps they extend with every loan module loaded, fails on
                any test failure (of those suites: any not in tools/platform_baseline.txt)
                and on any WARNING/ERROR in Odoo's log of the loan tests, and prints
                ``N passed, N failed, N skipped``.

Only the standard library is used here: this script runs before anything is installed.
"""

import argparse
import configparser
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
LOCAL = ROOT / ".local"
PGDATA = LOCAL / "pgdata"
PGSOCK = LOCAL / "pgsock"
PGLOG = LOCAL / "postgresql.log"
SKIP_RE = re.compile(r"^\d{4}-\d\d-\d\d \S+ \d+ INFO \S+ odoo\.addons\.\S+: skipped ")
LOGS = LOCAL / "logs"
RUN_CONF = LOCAL / "odoo.conf"
KEY_FILE = LOCAL / "pii-keys.json"
PG_PORT = 54329
PG_OS_USER = "lendingpg"
ODOO_SERIES = "19.0"
ODOO_ARCHIVE = "https://nightly.odoo.com/19.0/nightly/tgz/odoo_19.0.latest.tar.gz"
DEMO_DB = "lending_demo"
DEMO_LOGINS = [
    ("Loan Officer (consultant)", "consultant"),
    ("Appraiser", "appraiser"),
    ("Credit Approver", "approver"),
    ("Collector (team HCM)", "collector"),
    ("Collector (team Hanoi)", "collector2"),
    ("Collection Team Lead", "teamlead"),
    ("Loan Accountant", "accountant"),
    ("Compliance Officer", "compliance"),
    ("Lending Manager", "manager"),
    ("Lending Administrator", "lendingadmin"),
    ("Loan Officer (Shenzhen)", "cn_consultant"),
]
# Odoo log lines: "2026-11-23 10:00:00,123 4242 WARNING dbname logger: message"
LOG_LEVEL_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) ")
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
SCREENSHOTS = LOGS / "screenshots"
# Odoo's own suites of the apps the loan modules extend: installing the loan modules must not
# make any of their tests fail (the platform step).
PLATFORM_SUITES = ["crm", "crm_sms", "sms", "phone_validation", "helpdesk_mgmt", "queue_job"]
# Tests of those suites that this Odoo build fails on its own, without any loan module
# (`./dev test --refresh-platform-baseline` writes it).
PLATFORM_BASELINE = ROOT / "tools" / "platform_baseline.txt"
# "2026-... 4242 ERROR db odoo.addons.crm.tests.test_crm_lead: FAIL: TestCRMLead.test_x"
TEST_FAILURE_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \S+ \d+ ERROR \S+ (?:odoo\.addons\.)?(\S+?): (?:FAIL|ERROR): (.+?)\s*$"
)


def _complete_path():
    """A minimal environment (CI, cron) may lack a PATH: add the usual system folders and the
    folder of this Python, whose console scripts (ruff, pylint) the steps call."""
    parts = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p]
    wanted = [str(Path(sys.executable).parent)] + [
        "/usr/local/sbin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/bin",
        "/sbin",
        "/bin",
    ]
    os.environ["PATH"] = os.pathsep.join(parts + [p for p in wanted if p not in parts])


_complete_path()


class SetupError(Exception):
    """A step of the setup failed; the message tells the user what to do."""


_OUTPUT = threading.local()


def say(msg=""):
    """Print ``msg``, or keep it for later in a branch that runs in parallel (``branch``)."""
    kept = getattr(_OUTPUT, "lines", None)
    if kept is None:
        print(msg, flush=True)
    else:
        kept.append(msg)


def branch(func, *args):
    """Run ``func(*args)`` in a thread whose output is kept, so that parallel branches print
    in order, each as a block; returns (thread, kept lines)."""
    kept = []

    def target():
        _OUTPUT.lines = kept
        try:
            func(*args)
        except Exception as exc:  # reported in the run's output, and the run fails
            kept.append("  FAILED  %s: %r" % (func.__name__, exc))
            args[0].failures.append("%s crashed" % func.__name__)

    thread = threading.Thread(target=target, name=func.__name__)
    thread.start()
    return thread, kept


def is_root():
    return hasattr(os, "geteuid") and os.geteuid() == 0


def run(cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, **kw)


# --------------------------------------------------------------------------------------------
# Installing what is missing
# --------------------------------------------------------------------------------------------
def apt_install(packages):
    if not packages:
        return
    if not (is_root() and shutil.which("apt-get")):
        raise SetupError(
            "Missing system packages: %s. Install them (e.g. sudo apt-get install %s) and retry."
            % (", ".join(packages), " ".join(packages))
        )
    say("Installing system packages: %s" % " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", *packages], env=env, stdout=subprocess.DEVNULL)


def pg_bindir():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for path in candidates:
        if (path / "initdb").exists():
            return path
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def ensure_system(need_browser):
    missing = []
    if not pg_bindir():
        missing.append("postgresql")
    if not shutil.which("pg_dump") and not pg_bindir():
        missing.append("postgresql-client")
    if need_browser and not chromium_path():
        missing.append("chromium")
    # Odoo prints its PDF reports (vouchers, statements, contracts) with wkhtmltopdf
    if not shutil.which("wkhtmltopdf"):
        missing.append("wkhtmltopdf")
    # Chinese documents (the Shenzhen company's vouchers) need a CJK font in the PDF
    if not _has_deb("fonts-wqy-zenhei"):
        missing.append("fonts-wqy-zenhei")
    apt_install(missing)


def odoo_version():
    """Version of the Odoo importable by this Python, or None. Run from / so that no
    folder of the repo shadows it."""
    proc = subprocess.run(
        [sys.executable, "-c", "import odoo.release as r; print(r.version)"],
        cwd="/",
        capture_output=True,
        text=True,
    )
    return proc.stdout.strip() if proc.returncode == 0 else None


def pip(*args):
    # Odoo pins cbor2, whose build needs setuptools<81 (also inside pip's build isolation).
    constraint = LOCAL / "pip-build-constraints.txt"
    constraint.write_text("setuptools<81\n")
    env = dict(os.environ, PIP_CONSTRAINT=str(constraint))
    run([sys.executable, "-m", "pip", "install", "-q", "--root-user-action=ignore", *args], env=env)


def install_odoo_from(src):
    src = Path(src).resolve()
    if not (src / "odoo" / "release.py").exists():
        raise SetupError("ODOO_SRC=%s is not an Odoo source tree (no odoo/release.py)." % src)
    say("Installing Odoo from %s into %s" % (src, sys.executable))
    apt_install([p for p in ("libpq-dev", "libldap2-dev", "libsasl2-dev") if not _has_deb(p)])
    pip("setuptools<81", "wheel")
    pip("-r", str(src / "requirements.txt"))
    pip("-e", str(src), "--config-settings", "editable_mode=compat")


def _has_deb(package):
    if not shutil.which("dpkg-query"):
        return True
    proc = subprocess.run(["dpkg-query", "-W", package], capture_output=True)
    return proc.returncode == 0


def ensure_odoo():
    version = odoo_version()
    if version and version.startswith(ODOO_SERIES):
        return version
    if version:
        raise SetupError(
            "The Odoo importable by %s is %s, not %s." % (sys.executable, version, ODOO_SERIES)
        )
    src = os.environ.get("ODOO_SRC")
    if src:
        install_odoo_from(src)
    else:
        target = LOCAL / "odoo-src"
        say("Odoo %s is not importable; downloading the official source archive." % ODOO_SERIES)
        try:
            archive = LOCAL / "odoo.tar.gz"
            with urllib.request.urlopen(ODOO_ARCHIVE, timeout=60) as resp, archive.open("wb") as fh:
                shutil.copyfileobj(resp, fh)
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
            tops = [p for p in target.iterdir() if (p / "odoo" / "release.py").exists()]
            install_odoo_from(tops[0] if tops else target)
        except (OSError, SetupError, IndexError, tarfile.TarError) as exc:
            raise SetupError(
                "Odoo %s cannot be found (%s). Provide it in one of three ways:\n"
                "  1. install it into this Python so that `python3 -c 'import odoo'` works;\n"
                "  2. point ODOO_SRC at an Odoo %s source tree:\n"
                "     ODOO_SRC=/path/to/odoo ./dev test;\n"
                "  3. give this machine internet access to Odoo's official source archive\n"
                "     (%s)." % (ODOO_SERIES, exc, ODOO_SERIES, ODOO_ARCHIVE)
            ) from exc
    version = odoo_version()
    if not (version and version.startswith(ODOO_SERIES)):
        raise SetupError(
            "Odoo was installed but `import odoo` still fails from %s." % sys.executable
        )
    return version


def ensure_python_packages():
    # pip only reaches the index for requirements that are not already satisfied.
    pip("-r", str(ROOT / "requirements.txt"))


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------
def read_conf():
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "odoo.conf")
    return dict(parser["options"]) if parser.has_section("options") else {}


def _unset(value):
    return value in (None, "", "False", "false", "None")


def server_reachable(conf):
    host = conf.get("db_host")
    if _unset(host):
        return False
    port = int(conf.get("db_port") or 5432) if not _unset(conf.get("db_port")) else 5432
    try:
        import psycopg2  # noqa: PLC0415 - installed by ensure_odoo()
    except ImportError:
        return False
    try:
        psycopg2.connect(
            dbname="postgres",
            host=host,
            port=port,
            user=None if _unset(conf.get("db_user")) else conf["db_user"],
            password=None if _unset(conf.get("db_password")) else conf["db_password"],
            connect_timeout=5,
        ).close()
    except psycopg2.Error:
        return False
    return True


def as_pg_user(cmd):
    if not is_root():
        return cmd
    return ["runuser", "-u", PG_OS_USER, "--", *cmd]


def ensure_pg_os_user():
    if not is_root():
        return
    if subprocess.run(["id", "-u", PG_OS_USER], capture_output=True).returncode != 0:
        run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_OS_USER])


def _pg_user_can_reach(path):
    """Whether the cluster's OS user can traverse to ``path`` (a clone may sit in a 0700
    folder of root's) and the socket path fits the 107-byte limit of Unix sockets."""
    if len(str(path / "pgsock" / ".s.PGSQL.54329")) > 100:
        return False
    if not is_root():
        return True
    probe = subprocess.run(["runuser", "-u", PG_OS_USER, "--", "test", "-x", str(path)], cwd="/")
    return probe.returncode == 0


def choose_pg_home():
    """Where the project-local cluster lives: .local/ of the repo, or, when the cluster's
    OS user cannot reach it, a folder of /var/tmp named after the repo's path."""
    global PGDATA, PGSOCK, PGLOG
    LOCAL.mkdir(exist_ok=True)
    ensure_pg_os_user()
    if _pg_user_can_reach(LOCAL):
        return
    import hashlib  # noqa: PLC0415

    home = Path("/var/tmp") / ("lending-pg-" + hashlib.sha1(str(ROOT).encode()).hexdigest()[:10])
    home.mkdir(mode=0o755, exist_ok=True)
    PGDATA, PGSOCK, PGLOG = home / "pgdata", home / "pgsock", home / "postgresql.log"
    say(
        "Note: %s is not reachable by the %s user; the cluster lives in %s"
        % (LOCAL, PG_OS_USER, home)
    )


class LocalPostgres:
    """The project's own cluster: data and socket in .local/, no TCP listener."""

    def __init__(self):
        self.bindir = pg_bindir()
        self.started_here = False

    def _pg_ctl(self, *args, check=True):
        cmd = as_pg_user([str(self.bindir / "pg_ctl"), "-D", str(PGDATA), *args])
        return subprocess.run(cmd, check=check, capture_output=True, text=True, cwd="/")

    def running(self):
        return PGDATA.exists() and self._pg_ctl("status", check=False).returncode == 0

    def start(self):
        choose_pg_home()
        for path in (PGDATA, PGSOCK):
            path.mkdir(exist_ok=True)
            if is_root():
                shutil.chown(path, PG_OS_USER, PG_OS_USER)
            path.chmod(0o700 if path == PGDATA else 0o755)
        if not (PGDATA / "PG_VERSION").exists():
            say("Creating the project-local PostgreSQL cluster in %s" % PGDATA)
            run(
                as_pg_user(
                    [
                        str(self.bindir / "initdb"),
                        "-D",
                        str(PGDATA),
                        "-U",
                        "odoo",
                        "--auth=trust",
                        "-E",
                        "UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                stdout=subprocess.DEVNULL,
                cwd="/",
            )
            with (PGDATA / "postgresql.conf").open("a") as fh:
                # Socket only; throwaway development data, so durability is traded for speed.
                fh.write(
                    "\nlisten_addresses = ''\nport = %d\nunix_socket_directories = '%s'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "random_page_cost = 1.1\nshared_buffers = 512MB\nwork_mem = 32MB\n"
                    "max_connections = 100\n" % (PG_PORT, PGSOCK)
                )
        if self.running():
            return
        if is_root():
            PGLOG.touch()
            shutil.chown(PGLOG, PG_OS_USER, PG_OS_USER)
        self._pg_ctl("-l", str(PGLOG), "-w", "-t", "60", "start")
        self.started_here = True
        say("Started the project-local PostgreSQL (socket %s)" % PGSOCK)

    def stop(self):
        if self.started_here and self.running():
            self._pg_ctl("-m", "fast", "-w", "stop", check=False)
            self.started_here = False
            say("Stopped the project-local PostgreSQL")


def write_run_conf(conf, local_pg):
    """odoo.conf with paths made absolute and, if needed, the local cluster's socket."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "odoo.conf")
    opts = parser["options"]
    opts["addons_path"] = ",".join(
        str((ROOT / p.strip()).resolve()) for p in conf.get("addons_path", "addons").split(",")
    )
    opts["data_dir"] = str((ROOT / conf.get("data_dir", ".local/data")).resolve())
    if local_pg:
        opts["db_host"] = str(PGSOCK)
        opts["db_port"] = str(PG_PORT)
        opts["db_user"] = "odoo"
        opts.pop("db_password", None)
    if not parser.has_section("loan_base"):
        parser.add_section("loan_base")
    key_file = parser["loan_base"].get("pii_key_file") or str(KEY_FILE)
    parser["loan_base"]["pii_key_file"] = str((ROOT / key_file).resolve())
    LOCAL.mkdir(exist_ok=True)
    with RUN_CONF.open("w") as fh:
        parser.write(fh)
    return RUN_CONF, dict(opts, pii_key_file=parser["loan_base"]["pii_key_file"])


def ensure_key_file(path):
    path = Path(path)
    if path.exists():
        return
    sys.path.insert(0, str(ADDONS / "loan_base"))
    from engine.pii import Keyring  # noqa: PLC0415 - needs `cryptography`, installed above

    path.parent.mkdir(parents=True, exist_ok=True)
    Keyring.generate().save(path)
    say("Created a development PII key file: %s (keep it out of version control)" % path)


@contextlib.contextmanager
def database_server():
    conf = read_conf()
    local = None
    if not server_reachable(conf):
        local = LocalPostgres()
        local.start()
    try:
        run_conf, opts = write_run_conf(conf, local is not None)
        ensure_key_file(opts["pii_key_file"])
        yield run_conf, opts
    finally:
        if local:
            local.stop()


def db_connect(opts, dbname="postgres"):
    import psycopg2  # noqa: PLC0415

    conn = psycopg2.connect(
        dbname=dbname,
        host=None if _unset(opts.get("db_host")) else opts["db_host"],
        port=None if _unset(opts.get("db_port")) else opts["db_port"],
        user=None if _unset(opts.get("db_user")) else opts["db_user"],
        password=None if _unset(opts.get("db_password")) else opts["db_password"],
    )
    conn.autocommit = True
    return conn


def db_exists(opts, name):
    with contextlib.closing(db_connect(opts)) as conn, conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return bool(cr.fetchone())


def installed_modules(opts, name):
    with contextlib.closing(db_connect(opts, name)) as conn, conn.cursor() as cr:
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
        return {row[0] for row in cr.fetchall()}


def db_drop(opts, name):
    with contextlib.closing(db_connect(opts)) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        cr.execute('DROP DATABASE IF EXISTS "%s"' % name.replace('"', ""))
    shutil.rmtree(Path(opts["data_dir"]) / "filestore" / name, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Modules and Odoo
# --------------------------------------------------------------------------------------------
def loan_modules():
    """Every installable loan module, dependencies first."""
    mods = {}
    for manifest in sorted(ADDONS.glob("loan_*/__manifest__.py")):
        data = eval(manifest.read_text(), {"__builtins__": {}})
        if data.get("installable", True):
            mods[manifest.parent.name] = [
                d for d in data.get("depends", []) if d.startswith("loan_")
            ]
    ordered = []

    def visit(name):
        if name not in ordered:
            for dep in mods.get(name, []):
                visit(dep)
            ordered.append(name)

    for name in mods:
        visit(name)
    return ordered


def odoo_cmd(run_conf, *args):
    return [sys.executable, "-m", "odoo", "-c", str(run_conf), *args]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def odoo_env():
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env.pop("PYTHONPATH", None)
    return env


def run_logged(cmd, log_path, echo_filter=None):
    """Run an Odoo command, keep its whole log, echo the lines worth seeing."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=odoo_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in proc.stdout:
            log.write(line)
            if echo_filter and echo_filter(line):
                say("    " + line.rstrip("\n"))
        return proc.wait()


def log_problems(log_path):
    problems, in_problem = [], False
    for line in log_path.read_text(errors="replace").splitlines():
        if LOG_LEVEL_RE.match(line):
            problems.append(line)
            in_problem = True
        elif re.match(r"^\d{4}-\d\d-\d\d ", line):
            in_problem = False
        elif in_problem and len(problems) < 400:
            problems.append(line)
    return problems


def test_result(log_path):
    """(passed, failed, skipped) from Odoo's closing test report, or None."""
    text = log_path.read_text(errors="replace")
    found = RESULT_RE.findall(text)
    if not found:
        return None
    failed, errors, total = (int(x) for x in found[-1])
    skipped = sum(1 for line in text.splitlines() if SKIP_RE.match(line))
    return total - failed - errors - skipped, failed + errors, skipped


# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------
def prepare(need_browser):
    LOCAL.mkdir(exist_ok=True)
    ensure_system(need_browser)
    version = ensure_odoo()
    ensure_python_packages()
    say("Odoo %s found for %s" % (version, sys.executable))


def cmd_run(args):
    prepare(need_browser=False)
    modules = loan_modules()
    with database_server() as (run_conf, opts):
        db = args.database
        if db_exists(opts, db):
            installed = installed_modules(opts, db)
            missing = [m for m in modules if m not in installed]
            say("Updating database %s (%s)" % (db, ", ".join(modules)))
            present = [m for m in modules if m in installed]
            step = (["-u", ",".join(present)] if present else []) + (
                ["-i", ",".join(missing)] if missing else []
            )
        else:
            say("Creating database %s with demo data (%s)" % (db, ", ".join(modules)))
            step = ["-i", ",".join(modules), "--with-demo"]
        rc = run_logged(
            odoo_cmd(run_conf, "-d", db, *step, "--stop-after-init", "--http-port", "0"),
            LOGS / "run-install.log",
            echo_filter=lambda line: bool(LOG_LEVEL_RE.match(line)),
        )
        if rc:
            raise SetupError("Installing the modules failed; see %s" % (LOGS / "run-install.log"))
        url = "http://127.0.0.1:%d" % args.port
        say("")
        say("Lending suite: %s/odoo  (database %s)" % (url, db))
        say("Demo logins (password = login):")
        for role, login in [("Administrator", "admin"), *DEMO_LOGINS]:
            say("  %-28s %s" % (role, login))
        say("Ctrl-C stops Odoo and the local PostgreSQL.")
        proc = subprocess.Popen(
            odoo_cmd(
                run_conf,
                "-d",
                db,
                "--db-filter",
                "^%s$" % re.escape(db),
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                str(args.port),
            ),
            cwd=ROOT,
            env=odoo_env(),
        )
        try:
            proc.wait()
        except KeyboardInterrupt:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


class Tally:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []
        # (database, failed test ids) of platform suites to run again once the machine is
        # quiet (step_platform)
        self.platform_reruns = []
        # databases dropped when every step, platform_reruns included, has ended
        self.dropped_after = []

    def merge(self, other):
        self.passed += other.passed
        self.failed += other.failed
        self.skipped += other.skipped
        self.failures += other.failures
        self.platform_reruns += other.platform_reruns
        self.dropped_after += other.dropped_after

    def check(self, ok, name):
        if ok:
            self.passed += 1
            say("  ok      %s" % name)
        else:
            self.failed += 1
            self.failures.append(name)
            say("  FAILED  %s" % name)


def step_lint(tally):
    say("== Lint (ruff, pylint-odoo mandatory checks)")
    targets = ["addons", "tests", "bench", "tools"]
    rc = run([sys.executable, "-m", "ruff", "check", *targets], check=False, cwd=ROOT).returncode
    tally.check(rc == 0, "ruff check")
    rc = run(
        [sys.executable, "-m", "ruff", "format", "--check", *targets], check=False, cwd=ROOT
    ).returncode
    tally.check(rc == 0, "ruff format --check")
    modules = [str(ADDONS / m) for m in loan_modules()]
    rc = run(
        [
            sys.executable,
            "-m",
            "pylint",
            "--rcfile=%s" % (ROOT / ".pylintrc-mandatory"),
            "--score=n",
            *modules,
        ],
        check=False,
        cwd=ROOT,
    ).returncode
    tally.check(rc == 0, "pylint-odoo mandatory checks")


def step_engine_tests(tally):
    say("== Engine tests (pytest, no Odoo)")
    junit = LOCAL / "pytest-engine.xml"
    rc = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:odoo",
            "-p",
            "no:cacheprovider",
            "--junitxml",
            str(junit),
            "tests",
        ],
        check=False,
        cwd=ROOT,
    ).returncode
    if not junit.exists():
        tally.check(False, "engine tests (pytest exited %d without a report)" % rc)
        return
    suite = ET.parse(junit).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    total = int(suite.get("tests", 0))
    bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    tally.passed += total - bad - skipped
    tally.failed += bad
    tally.skipped += skipped
    if bad or rc not in (0, 5) or total == 0:
        tally.failures.append("engine tests")
        if total == 0 or (rc and not bad):
            tally.check(False, "engine tests ran (exit %d, %d tests)" % (rc, total))
    say("  engine tests: %d passed, %d failed, %d skipped" % (total - bad - skipped, bad, skipped))


def test_run_args(tags):
    """Odoo options of a test run: the tagged tests, then stop; a free local port for the
    tours, no cron threads, screenshots of failed tours in the logs."""
    return [
        "--test-enable",
        "--test-tags",
        tags,
        "--stop-after-init",
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(free_port()),
        "--log-level",
        "info",
        "--max-cron-threads",
        "0",
        "--screenshots",
        str(SCREENSHOTS),
    ]


def step_odoo(tally, run_conf, opts, demo, keep, test_tags=None, keep_db=False):
    """Install every loan module into a fresh database and run their tests; returns the
    database's name (dropped here unless ``keep`` or ``keep_db``)."""
    modules = loan_modules()
    label = "with demo data" if demo else "without demo data"
    db = "lending_test_%s_%d" % ("demo" if demo else "nodemo", os.getpid())
    say("== Odoo: install %s %s into %s, run their tests" % (",".join(modules), label, db))
    log = LOGS / ("test-%s.log" % ("demo" if demo else "nodemo"))
    tags = test_tags or ",".join("/%s" % m for m in modules)
    try:
        db_drop(opts, db)
        cmd = odoo_cmd(
            run_conf,
            "-d",
            db,
            "-i",
            ",".join(modules),
            *(["--with-demo"] if demo else []),
            *test_run_args(tags),
        )
        started = time.time()
        rc = run_logged(
            cmd,
            log,
            echo_filter=lambda line: bool(
                LOG_LEVEL_RE.match(line) or "tests when loading database" in line
            ),
        )
        result = test_result(log)
        if result is None:
            tally.check(False, "Odoo tests %s: no test report in the log (exit %d)" % (label, rc))
        else:
            passed, failed, skipped = result
            tally.passed += passed
            tally.failed += failed
            tally.skipped += skipped
            if failed:
                tally.failures.append("Odoo tests %s" % label)
            say(
                "  Odoo tests %s: %d passed, %d failed, %d skipped (%.0fs)"
                % (label, passed, failed, skipped, time.time() - started)
            )
            if passed + failed == 0:
                tally.check(False, "Odoo tests %s ran" % label)
        tally.check(rc == 0, "Odoo exit status %s (%d)" % (label, rc))
        problems = log_problems(log)
        for line in problems[:80]:
            say("    | " + line)
        tally.check(not problems, "no WARNING/ERROR in Odoo's log %s" % label)
        if demo:
            say("== Odoo: upgrade %s on %s" % (",".join(modules), db))
            ulog = LOGS / "test-upgrade.log"
            rc = run_logged(
                odoo_cmd(
                    run_conf,
                    "-d",
                    db,
                    "-u",
                    ",".join(modules),
                    "--stop-after-init",
                    "--http-port",
                    str(free_port()),
                    "--max-cron-threads",
                    "0",
                ),
                ulog,
            )
            problems = log_problems(ulog)
            for line in problems[:40]:
                say("    | " + line)
            tally.check(rc == 0 and not problems, "upgrade is clean (exit %d)" % rc)
    finally:
        if not (keep or keep_db):
            db_drop(opts, db)
    return db


def platform_dependencies():
    """The modules (not loan_*) that the loan modules depend on."""
    deps = []
    for name in loan_modules():
        data = eval((ADDONS / name / "__manifest__.py").read_text(), {"__builtins__": {}})
        deps += [d for d in data.get("depends", []) if not d.startswith("loan_") and d not in deps]
    return deps


def read_platform_baseline():
    if not PLATFORM_BASELINE.exists():
        return set()
    lines = PLATFORM_BASELINE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def failed_tests(log_path):
    """Ids ("python module: Class.test") of the tests that failed or errored in a log, once
    per failure reported (a test with several failing subtests comes several times)."""
    found = []
    for line in log_path.read_text(errors="replace").splitlines():
        match = TEST_FAILURE_RE.match(line)
        if match:
            found.append("%s: %s" % match.groups())
    return found


def run_platform_suites(run_conf, db, log):
    """Run Odoo's own suites of PLATFORM_SUITES on an installed database, every test once
    all modules are loaded (tools/odoo_all_tests.py); (exit code, result, failed ids, s)."""
    cmd = [
        sys.executable,
        str(ROOT / "tools" / "odoo_all_tests.py"),
        "-c",
        str(run_conf),
        "-d",
        db,
        *test_run_args(",".join("/%s" % m for m in PLATFORM_SUITES)),
    ]
    started = time.time()
    rc = run_logged(cmd, log, echo_filter=lambda line: "tests when loading database" in line)
    return rc, test_result(log), failed_tests(log), time.time() - started


def install_platform_db(run_conf, opts, db, modules, log):
    """A fresh database (no demo data) with ``modules``; the exit code of the install."""
    db_drop(opts, db)
    cmd = odoo_cmd(
        run_conf,
        "-d",
        db,
        "-i",
        ",".join(modules),
        "--stop-after-init",
        "--http-port",
        str(free_port()),
        "--max-cron-threads",
        "0",
    )
    started = time.time()
    rc = run_logged(cmd, log)
    say("  installed %s into %s (%.0fs)" % (",".join(modules), db, time.time() - started))
    return rc


def step_platform(tally, run_conf, opts, db, keep):
    """Odoo's own suites of the apps the loan modules extend, on ``db`` (every loan module,
    no demo data; installed here when None): a test failing there that this Odoo build does
    not fail without loan modules (PLATFORM_BASELINE) fails the run."""
    say("== Platform suites with every loan module (%s)" % ", ".join(PLATFORM_SUITES))
    own_db = db is None
    if own_db:
        db = "lending_test_platform_%d" % os.getpid()
        rc = install_platform_db(
            run_conf, opts, db, loan_modules(), LOGS / "test-platform-install.log"
        )
        if rc:
            tally.check(False, "install of the loan modules for the platform suites (%d)" % rc)
            return
    log = LOGS / "test-platform.log"
    if own_db and not keep:
        tally.dropped_after.append(db)
    rc, result, failures, seconds = run_platform_suites(run_conf, db, log)
    if result is None:
        tally.check(False, "platform suites: no test report in %s (exit %d)" % (log, rc))
        return
    passed, failed, skipped = result
    named, failures = len(failures), set(failures)
    known = read_platform_baseline()
    new = sorted(failures - known)
    expected = failures & known
    tally.passed += passed
    tally.skipped += skipped + len(expected)
    say(
        "  platform suites: %d passed, %d failed (%d known to fail without loan modules, "
        "%d new), %d skipped (%.0fs)" % (passed, failed, len(expected), len(new), skipped, seconds)
    )
    if named != failed:
        # a failure the log parser did not name: never let it pass unnoticed
        tally.check(False, "platform suites: %d failed but %d named in %s" % (failed, named, log))
    if new:
        # judged by platform_reruns once the other runs have ended: a tour of Odoo's own
        # suites can time out on a machine loaded by the other database's run
        tally.platform_reruns.append((db, new))
        for test in new:
            say("    failed, to run again alone at the end: %s" % test)
    fixed = sorted(known - failures)
    if fixed:
        say(
            "  %d known failures passed (refresh %s with --refresh-platform-baseline): %s"
            % (len(fixed), PLATFORM_BASELINE.name, "; ".join(fixed))
        )


def platform_test_tag(test_id):
    """The --test-tags spec of a failed test id ("crm.tests.test_x: Class.test" or
    "...: Subtest Class.test (params)")."""
    module, rest = test_id.split(": ", 1)
    rest = rest.removeprefix("Subtest ").split(" ", 1)[0]
    return "/%s:%s" % (module.split(".")[0], rest)


def platform_reruns(tally, run_conf):
    """Run again, alone, each platform test that failed and is not in the baseline: one that
    fails again fails the run; one that passes alone is named as flaky under load."""
    for db, tests in tally.platform_reruns:
        say("== Platform suites: the new failures, run again alone")
        for number, test in enumerate(sorted(set(tests)), 1):
            log = LOGS / ("test-platform-rerun-%d.log" % number)
            cmd = [
                sys.executable,
                str(ROOT / "tools" / "odoo_all_tests.py"),
                "-c",
                str(run_conf),
                "-d",
                db,
                *test_run_args(platform_test_tag(test)),
            ]
            rc = run_logged(cmd, log)
            result = test_result(log)
            ok = rc == 0 and result is not None and result[0] > 0 and result[1] == 0
            if ok:
                say("  passed alone (it failed while the other run loaded the machine): %s" % test)
            tally.check(ok, "platform test run again alone: %s (see %s)" % (test, log))


def refresh_platform_baseline(run_conf, opts, keep):
    """Run the platform suites without any loan module and write PLATFORM_BASELINE."""
    say("== Platform suites without loan modules (refreshing %s)" % PLATFORM_BASELINE.name)
    db = "lending_test_baseline_%d" % os.getpid()
    modules = platform_dependencies()
    try:
        rc = install_platform_db(run_conf, opts, db, modules, LOGS / "test-baseline-install.log")
        if rc:
            say("  installing %s failed (exit %d)" % (",".join(modules), rc))
            return False
        log = LOGS / "test-baseline.log"
        rc, result, failures, seconds = run_platform_suites(run_conf, db, log)
    finally:
        if not keep:
            db_drop(opts, db)
    if result is None:
        say("  no test report in %s (exit %d)" % (log, rc))
        return False
    passed, failed, skipped = result
    say(
        "  without loan modules: %d passed, %d failed, %d skipped (%.0fs)"
        % (passed, failed, skipped, seconds)
    )
    if len(failures) != failed:
        say("  %d failed but %d named in %s: baseline not written" % (failed, len(failures), log))
        return False
    failures = set(failures)
    version = odoo_version()
    PLATFORM_BASELINE.write_text(
        "# Tests of Odoo's own suites that Odoo %s fails without any loan module, as\n"
        '# `./dev test` runs them (README.md, "The platform suites"): these may fail with\n'
        "# the loan modules too, no other test may. Written by\n"
        "# `./dev test --refresh-platform-baseline`; refresh it when Odoo is updated.\n"
        "# suites: %s\n"
        "# installed: %s (no demo data)\n"
        % (version, ", ".join(PLATFORM_SUITES), ", ".join(modules))
        + "".join("%s\n" % test for test in sorted(failures))
    )
    say("  wrote %d known failures to %s" % (len(failures), PLATFORM_BASELINE))
    return True


def cmd_test(args):
    try:
        prepare(need_browser=True)
    except SetupError as exc:
        say(str(exc))
        say("0 passed, 1 failed")
        return 2
    tally = Tally()
    if not args.skip_lint:
        step_lint(tally)
    if not args.skip_engine:
        step_engine_tests(tally)
    # --test-tags narrows the run to those tests: no platform suites then
    platform = not (args.skip_platform or args.test_tags)
    with database_server() as (run_conf, opts):
        if args.refresh_platform_baseline and not refresh_platform_baseline(
            run_conf, opts, args.keep
        ):
            tally.check(False, "refresh of %s" % PLATFORM_BASELINE.name)
        demo_runs = [demo for demo in (False, True) if args.only_demo in (None, demo)]

        def without_demo(part):
            # the no-demo database of the loan modules serves the platform suites too
            db = step_odoo(part, run_conf, opts, False, args.keep, args.test_tags, platform)
            if platform:
                if not args.keep:
                    part.dropped_after.append(db)
                step_platform(part, run_conf, opts, db, args.keep)

        def with_demo(part):
            step_odoo(part, run_conf, opts, True, args.keep, args.test_tags)

        steps = [without_demo if not demo else with_demo for demo in demo_runs]
        if platform and False not in demo_runs:
            steps.append(lambda part: step_platform(part, run_conf, opts, None, args.keep))
        # the two databases are independent: their runs share the machine, each one's
        # output printed as a block when it ends
        parts = [Tally() for _step in steps]
        running = [branch(step, part) for step, part in zip(steps, parts, strict=True)]
        for (thread, kept), part in zip(running, parts, strict=True):
            thread.join()
            for line in kept:
                print(line, flush=True)
            tally.merge(part)
        try:
            platform_reruns(tally, run_conf)
        finally:
            for db in tally.dropped_after:
                db_drop(opts, db)
    if tally.failures:
        say("Failed: %s" % "; ".join(tally.failures))
    say("%d passed, %d failed, %d skipped" % (tally.passed, tally.failed, tally.skipped))
    return 1 if tally.failed or tally.failures else 0


def cmd_rotate_keys(args):
    prepare(need_browser=False)
    with database_server() as (run_conf, _opts):
        cmd = [sys.executable, "-m", "odoo", "--addons-path=%s" % ADDONS, "loan_pii"]
        cmd += ["rotate", "-c", str(run_conf), "-d", args.database]
        return run(cmd, check=False, cwd=ROOT, env=odoo_env()).returncode


def cmd_rebuild_history(args):
    prepare(need_browser=False)
    with database_server() as (run_conf, _opts):
        cmd = [sys.executable, "-m", "odoo", "--addons-path=%s" % ADDONS, "loan_rebuild"]
        cmd += [args.date_from, args.date_to, "-c", str(run_conf), "-d", args.database]
        return run(cmd, check=False, cwd=ROOT, env=odoo_env()).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(prog="./dev", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_run = sub.add_parser("run", help="set up and serve the demo database on 127.0.0.1")
    p_run.add_argument("--database", default=DEMO_DB)
    p_run.add_argument("--port", type=int, default=8069)
    p_test = sub.add_parser("test", help="set up and run every test")
    p_test.add_argument("--skip-lint", action="store_true")
    p_test.add_argument("--keep", action="store_true", help="keep the test databases")
    p_test.add_argument(
        "--test-tags",
        help="Odoo test tags to run instead of every loan module's, e.g. /loan_base:TestGate",
    )
    p_test.add_argument("--skip-engine", action="store_true", help="skip the pytest engine tests")
    p_test.add_argument(
        "--skip-platform",
        action="store_true",
        help="skip Odoo's own suites of crm, sms, phone_validation, helpdesk_mgmt, queue_job",
    )
    p_test.add_argument(
        "--refresh-platform-baseline",
        action="store_true",
        help="first run those suites without loan modules and rewrite %s"
        % PLATFORM_BASELINE.relative_to(ROOT),
    )
    demo_group = p_test.add_mutually_exclusive_group()
    demo_group.add_argument("--demo-only", dest="only_demo", action="store_const", const=True)
    demo_group.add_argument("--no-demo-only", dest="only_demo", action="store_const", const=False)
    p_test.set_defaults(only_demo=None)
    p_rot = sub.add_parser("rotate-keys", help="add a PII key and re-encrypt every value")
    p_rot.add_argument("--database", default=DEMO_DB)
    p_rebuild = sub.add_parser(
        "rebuild-history", help="write the portfolio history of a period again (reporting)"
    )
    p_rebuild.add_argument("date_from", help="first date, YYYY-MM-DD")
    p_rebuild.add_argument("date_to", help="last date, YYYY-MM-DD")
    p_rebuild.add_argument("--database", default=DEMO_DB)
    args = parser.parse_args(argv)
    handlers = {
        "run": cmd_run,
        "test": cmd_test,
        "rotate-keys": cmd_rotate_keys,
        "rebuild-history": cmd_rebuild_history,
    }
    try:
        return handlers[args.command](args)
    except SetupError as exc:
        say("ERROR: %s" % exc)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
