"""``bin/loadtest`` / ``make loadtest``: start the app under gunicorn on 127.0.0.1 (a free
port) on a fresh database, let twenty users work through its forms for a bounded time,
kill one gunicorn worker and the dossier worker on the way, and report.

    bin/loadtest [--duration 150] [--users 20] [--managers 5] [--workers 3] [--postgres]

SQLite: a file in a temporary folder. ``--postgres`` (or a postgres:// DATABASE_URL):
a database ``algokader_load_<random>`` on that server (postgres://postgres@127.0.0.1:5432
without one), dropped afterwards. Exit 0 when the run had no 5xx, no deadlock, no lost
write, no 409 on a fresh form and an intact audit trail; 1 otherwise.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from loadtest import report
from loadtest.client import Browser, Stats, run_user

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv" / "bin"
SETUP_BUDGET = 900  # seconds for migrate, imports, static files, seeding and the checks


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bin/loadtest", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=int, default=int(os.environ.get("LOADTEST_DURATION", 150))
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--managers", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument(
        "--release", default=str(ROOT.parent / "shared" / "algoritmekader" / "v2.5.1")
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Postgres:
    """A uniquely named database on the server of ``url``; never touches another one."""

    def __init__(self, url: str) -> None:
        self.parts = urllib.parse.urlsplit(url)
        self.name = f"algokader_load_{secrets.token_hex(4)}"
        self.created = False

    def _admin(self, statement: str) -> None:
        import psycopg
        from psycopg import sql

        admin = urllib.parse.urlunsplit(self.parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def create(self) -> str:
        self._admin("CREATE DATABASE {}")
        self.created = True
        return urllib.parse.urlunsplit(self.parts._replace(path=f"/{self.name}"))

    def drop(self) -> None:
        if self.created:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def deadlocks(self) -> int:
        import psycopg

        admin = urllib.parse.urlunsplit(self.parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            row = conn.execute(
                "SELECT deadlocks FROM pg_stat_database WHERE datname = %s", [self.name]
            ).fetchone()
        return int(row[0]) if row else 0


class Processes:
    """The gunicorn master and the dossier worker, each in a process group of its own."""

    def __init__(self, env: dict, tmp: Path, port: int, workers: int) -> None:
        self.env, self.tmp, self.port, self.workers = env, tmp, port, workers
        self.gunicorn: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.worker_starts = 0

    def _start(self, args: list[str], log: str) -> subprocess.Popen:
        out = open(self.tmp / log, "ab")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_gunicorn(self) -> None:
        self.gunicorn = self._start(
            [
                str(VENV / "gunicorn"),
                "algokader.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--no-control-socket",  # not the shared ~/.gunicorn/gunicorn.ctl
            ],
            "gunicorn.log",
        )

    def start_worker(self) -> None:
        self.worker_starts += 1
        self.worker = self._start(
            [str(VENV / "python"), "manage.py", "db_worker", "--interval", "1"], "worker.log"
        )

    def gunicorn_workers(self) -> list[int]:
        """The pids of the master's children (its workers), from /proc."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if self.gunicorn and int(fields[1]) == self.gunicorn.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def kill_worker_process(self) -> None:
        """SIGKILL to the dossier worker's group: it dies as in an out-of-memory kill."""
        if self.worker and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGKILL)
            self.worker.wait(10)

    @staticmethod
    def _stop(process: subprocess.Popen | None) -> None:
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        except ProcessLookupError:
            pass

    def stop(self) -> None:
        self._stop(self.worker)
        self._stop(self.gunicorn)


def prepare(args, env: dict) -> tuple[list, str]:
    """Migrate, import the content, collect static files and seed, in this process."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from loadtest.world import seed

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("import_content", str(ROOT / "content"), verbosity=0)
    call_command("import_content", args.release, verbosity=0)
    plans, dossier_algorithm = seed(args.users, args.managers)
    connections.close_all()
    return plans, dossier_algorithm


def wait_until_up(base: str, seconds: float = 90) -> None:
    browser = Browser(base, Stats())
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = browser.get("up", "/inloggen/")
        if answer is not None and answer.status == 200:
            return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within 90 s")


def faults(
    procs: Processes, base: str, duration: int, dossier: str, stop: threading.Event, log: dict
) -> None:
    """A third into the run, SIGKILL one gunicorn worker; at half, start a dossier job and
    SIGKILL the db_worker while it renders, start a new worker and follow the job."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    if stop.wait(duration / 3):
        return
    victims = procs.gunicorn_workers()
    if victims:
        os.kill(victims[0], signal.SIGKILL)
        log["worker_killed"] = f"gunicorn worker {victims[0]} at {duration / 3:.0f} s"
    if stop.wait(duration / 6):
        return
    from loadtest.world import PASSWORD

    browser = Browser(base, Stats())
    browser.login("eigenaar", PASSWORD)
    browser.get("dossier", f"/algoritmes/{dossier}/")  # the page with the button
    started = browser.request(
        "dossier", f"/algoritmes/{dossier}/dossier/pdf/", {"csrfmiddlewaretoken": browser.csrf()}
    )
    status_url = started.location if started is not None else ""
    log["dossier_started"] = status_url or f"no job ({started.status if started else 'no answer'})"
    if not status_url:
        return
    running_deadline = time.monotonic() + 30
    while time.monotonic() < running_deadline and not DBTaskResult.objects.running().exists():
        time.sleep(0.2)
    running = DBTaskResult.objects.running().exists()
    connections.close_all()
    procs.kill_worker_process()
    log["db_worker_killed"] = "while the job ran" if running else "job not seen running within 30 s"
    procs.start_worker()
    outcome, follow_deadline = "still not finished after 120 s", time.monotonic() + 120
    killed_at = time.monotonic()
    while time.monotonic() < follow_deadline:
        page = browser.get("dossier", status_url)
        body = page.body if page is not None else ""
        if "downloaden" in body.lower():
            outcome = f"finished {time.monotonic() - killed_at:.0f} s after the kill"
            break
        if "mislukt" in body:
            retry = "with" if "Opnieuw" in body else "without"
            seconds = time.monotonic() - killed_at
            outcome = f"shown as failed {seconds:.0f} s after the kill, {retry} a retry button"
            break
        time.sleep(2)
    log["dossier_outcome"] = outcome


def main() -> int:
    args = arguments()
    tmp = Path(tempfile.mkdtemp(prefix="algokader-load-"))
    postgres = None
    database_url = os.environ.get("DATABASE_URL", "")
    if args.postgres or database_url.startswith(("postgres://", "postgresql://")):
        server = (
            database_url
            if database_url.startswith("postgres")
            else "postgres://postgres@127.0.0.1:5432/postgres"
        )
        postgres = Postgres(server)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    procs = None
    stop = threading.Event()

    def too_long(signum, frame):
        raise TimeoutError("load test ran past its hard limit")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(args.duration + SETUP_BUDGET)
    try:
        url = postgres.create() if postgres else f"sqlite:///{tmp / 'load.sqlite3'}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "ALGOKADER_VAR_DIR": str(tmp / "var"),
            "UPLOAD_ROOT": str(tmp / "uploads"),
            "TASKS_BACKEND": "database",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "algokader.settings",
        }
        print(
            f"loadtest: {'PostgreSQL ' + postgres.name if postgres else 'SQLite ' + url}; preparing"
        )
        plans, dossier = prepare(args, env)
        procs = Processes(env, tmp, port, args.workers)
        procs.start_gunicorn()
        wait_until_up(base)
        procs.start_worker()
        deadlocks_before = postgres.deadlocks() if postgres else 0
        load_before = os.getloadavg()
        stats, log = Stats(), {}
        deadline = time.monotonic() + args.duration
        print(
            f"loadtest: {len(plans)} users for {args.duration} s on {base} "
            f"(gunicorn {args.workers} workers); load average {load_before[0]:.2f}"
        )
        threads = [
            threading.Thread(target=run_user, args=(base, plan, stats, deadline, stop), daemon=True)
            for plan in plans
        ]
        threads.append(
            threading.Thread(
                target=faults, args=(procs, base, args.duration, dossier, stop, log), daemon=True
            )
        )
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads[:-1]:
            thread.join(max(1.0, deadline - time.monotonic() + 45))
        stop.set()
        threads[-1].join(150)
        elapsed = time.monotonic() - started
        load_after = os.getloadavg()
        procs.stop()
        server_log = (tmp / "gunicorn.log").read_text(errors="replace")
        deadlocks = (postgres.deadlocks() - deadlocks_before) if postgres else 0
        deadlocks += server_log.count("deadlock detected") if not postgres else 0
        return report.print_report(
            stats, log, elapsed, load_before, load_after, deadlocks, server_log
        )
    finally:
        stop.set()
        signal.alarm(0)
        if procs is not None:
            procs.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception as exc:  # Django never set up: nothing to close
            print(f"loadtest: {exc}", file=sys.stderr)
        if postgres is not None:
            postgres.drop()
        if args.keep:
            print(f"loadtest: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
