"""The ``ctpat`` command: demo, serve, worker, migrate, createadmin, totp, manage."""

from __future__ import annotations

import argparse
import getpass
import os
import subprocess
import sys
from pathlib import Path

DEMO_DIR_DEFAULT = "ctpat-demo-data"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.config.settings")
    import django

    django.setup()


# Unix socket paths are limited to about 108 bytes (sun_path); past this, the socket is off.
CONTROL_SOCKET_MAX_PATH = 100
CONTROL_SOCKET_NAME = "gunicorn.ctl"


def control_socket_args(data_dir: Path, setting: str = "") -> list[str]:
    """Gunicorn's control socket (gunicorn >= 23) goes in ctpat's data directory, never in the
    user's home (~/.gunicorn, gunicorn's default). CTPAT_GUNICORN_CONTROL_SOCKET=off turns it
    off, a path puts it there; a data directory too deep for a socket path turns it off."""
    setting = (setting or "").strip()
    if setting.lower() in {"off", "false", "no", "0"}:
        return ["--no-control-socket"]
    path = Path(setting) if setting else Path(data_dir) / CONTROL_SOCKET_NAME
    if len(str(path)) > CONTROL_SOCKET_MAX_PATH:
        return ["--no-control-socket"]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]


def gunicorn_argv(
    bind: str, workers: int, *, data_dir: Path, control_socket: str = "", reload: bool = False
) -> list[str]:
    """The gunicorn command line ``ctpat serve`` and ``ctpat demo`` run."""
    argv = [
        "gunicorn",
        "ctpat.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        "60",
        *control_socket_args(data_dir, control_socket),
    ]
    if reload:
        argv.append("--reload")
    return argv


def _gunicorn(bind: str, workers: int, *, reload: bool = False) -> int:
    """Run gunicorn in this process (it forks its own workers)."""
    from django.conf import settings
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = gunicorn_argv(
        bind,
        workers,
        data_dir=settings.DATA_DIR,
        control_socket=os.environ.get("CTPAT_GUNICORN_CONTROL_SOCKET", ""),
        reload=reload,
    )
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()
    return 0


# How long `ctpat demo` waits for its background worker to stop before killing it.
WORKER_STOP_SECONDS = 10


def _start_worker() -> subprocess.Popen:
    """`ctpat worker` as a child process with this process's environment and output."""
    return subprocess.Popen([sys.executable, "-m", "ctpat.config.cli", "worker"], env=os.environ)


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # the worker finishes the task in hand, then exits
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def cmd_worker(args) -> int:
    """Run background tasks (e-mail, the daily ANL and appeal jobs) from the queue until stopped."""
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from ctpat.notifications.tasks import enqueue_overdue_emails

    queues = args.queues or ",".join(settings.TASKS["default"].get("QUEUES", ["default"]))
    overdue = enqueue_overdue_emails()
    if overdue:
        print(f"ctpat worker: enqueued {overdue} overdue e-mail(s) again.", flush=True)
    # The daily ANL job: today's run is queued once (keyed by date); each run queues the next.
    from ctpat.annualnotices.tasks import schedule_daily

    if schedule_daily():
        print("ctpat worker: queued today's Annual Notification Letter reminders.", flush=True)
    # The daily appeal reminders (6 U.S.C. 967(c) 180-day limit), the same way.
    from ctpat.enforcement.tasks import schedule_daily as schedule_appeal_reminders

    if schedule_appeal_reminders():
        print("ctpat worker: queued today's appeal decision reminders.", flush=True)
    options = ["--queue-name", queues, "--interval", str(args.interval), "--no-reload"]
    if args.batch:
        options += ["--batch", "--no-startup-delay"]
    if args.max_tasks:
        options += ["--max-tasks", str(args.max_tasks)]
    call_command("db_worker", *options, verbosity=args.verbosity)
    return 0


def _load_shipped_reference_data(verbosity: int = 1) -> None:
    """Reference data that ships with ctpat and is kept in the database: the resources library's
    starting set. Rows loaded before (even if CBP since revised or retired them) are skipped."""
    from ctpat.resources.seed import load_seed_resources

    created, _skipped = load_seed_resources()
    if created and verbosity:
        print(f"ctpat: loaded {created} shipped resource(s) into the library.", flush=True)


def cmd_migrate(args) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    _load_shipped_reference_data(args.verbosity)
    return 0


def cmd_serve(args) -> int:
    _setup_django()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        _load_shipped_reference_data(0)
    print(f"ctpat serving on http://{args.bind}/", flush=True)
    return _gunicorn(args.bind, args.workers)


def cmd_demo(args) -> int:
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CTPAT_DATA_DIR"] = str(data_dir)
    os.environ["CTPAT_DEMO"] = "true"
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Links in the demo's e-mails point at the address it serves on.
    os.environ.setdefault("CTPAT_SITE_URL", f"http://127.0.0.1:{args.port}")
    # The demo is plain HTTP on loopback; production settings stay strict.
    _setup_django()
    from django.core.management import call_command

    from ctpat.demo.seed import DEMO_PASSWORD, demo_logins, load_demo

    print(f"ctpat demo: database and files in {data_dir}", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    created = load_demo()
    print("Demo data loaded." if created else "Demo data already present.", flush=True)
    host, port = "127.0.0.1", args.port
    url = f"http://{host}:{port}/"
    banner = [
        "",
        "=" * 78,
        "  THIS IS A DEMO. Demo users, demo passwords and made-up companies; do not put",
        "  real data in it and do not expose it beyond this machine.",
        "=" * 78,
        f"  Open {url} and log in as one of:",
        "",
    ]
    banner.append(f"  {'user name':<20} role — organization")
    for login in demo_logins():
        banner.append(f"  {login['username']:<20} {login['role_label']}")
    banner += [
        "",
        f"  Password for every demo user: {DEMO_PASSWORD}",
        "  CBP users also need a two-factor code; get the current one with",
        f"      ctpat totp <user name> --data-dir {data_dir}",
        "",
        "  API docs: " + url + "api/docs/",
        "=" * 78,
        "",
    ]
    print("\n".join(banner), flush=True)
    if args.no_serve:
        return 0
    worker = _start_worker()
    print(f"Background worker started (pid {worker.pid}); e-mail is printed here.", flush=True)
    demo_pid = os.getpid()
    try:
        return _gunicorn(f"{host}:{port}", args.workers)
    finally:
        # gunicorn's forked web workers unwind through here too: only the demo stops the worker.
        if os.getpid() == demo_pid:
            _stop_worker(worker)


def cmd_createadmin(args) -> int:
    _setup_django()
    from ctpat.accounts.services import superuser_create
    from ctpat.core.errors import DomainError

    username = args.username or input("Username: ").strip()
    email = args.email or input("E-mail: ").strip()
    password = os.environ.get("CTPAT_ADMIN_PASSWORD") or ""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    if not password:
        password = getpass.getpass("Password (12+ characters): ")
        if password != getpass.getpass("Password again: "):
            print("error: the passwords differ.", file=sys.stderr)
            return 2
    try:
        user = superuser_create(actor=None, username=username, email=email, password=password)
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(
        f"Created CBP program admin '{user.username}'. Log in and set up two-factor "
        "authentication when asked."
    )
    return 0


def cmd_totp(args) -> int:
    """Print the current TOTP code of a demo user's authenticator (demo databases only)."""
    if os.environ.get("DATABASE_URL"):
        print(
            "error: `ctpat totp` reads only a demo's SQLite database; unset DATABASE_URL.",
            file=sys.stderr,
        )
        return 2
    data_dir = Path(args.data_dir).resolve()
    if not (data_dir / "ctpat.sqlite3").exists():
        print(f"error: no demo database in {data_dir} (use --data-dir).", file=sys.stderr)
        return 2
    os.environ["CTPAT_DATA_DIR"] = str(data_dir)
    os.environ["CTPAT_DEMO"] = "true"
    _setup_django()
    from ctpat.demo.seed import current_totp, is_demo_database

    if not is_demo_database():
        print("error: this database holds no demo data set.", file=sys.stderr)
        return 2
    code = current_totp(args.username)
    if code is None:
        print(f"error: {args.username} has no authenticator.", file=sys.stderr)
        return 2
    print(code)
    return 0


def cmd_manage(args) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctpat.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ctpat manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctpat", description="ctpat: an open platform for the CTPAT program."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="create/upgrade a demo database, load demo data, serve")
    demo.add_argument("--data-dir", default=os.environ.get("CTPAT_DATA_DIR", DEMO_DIR_DEFAULT))
    demo.add_argument("--port", type=int, default=int(os.environ.get("CTPAT_PORT", "8000")))
    demo.add_argument("--workers", type=int, default=2)
    demo.add_argument("--no-serve", action="store_true", help="load the demo and exit")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="serve ctpat with gunicorn")
    serve.add_argument("--bind", default=os.environ.get("CTPAT_BIND", "127.0.0.1:8000"))
    serve.add_argument("--workers", type=int, default=int(os.environ.get("CTPAT_WORKERS", "3")))
    serve.add_argument("--migrate", action="store_true", help="apply migrations first")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser(
        "worker", help="run background tasks (e-mail, the daily ANL job) until stopped"
    )
    worker.add_argument(
        "--queues", help="comma-separated queue names (default: every queue in settings.TASKS)"
    )
    worker.add_argument(
        "--interval", type=float, default=1.0, help="seconds between polls when idle"
    )
    worker.add_argument("--batch", action="store_true", help="run what is due now, then exit")
    worker.add_argument("--max-tasks", type=int, help="exit after running this many tasks")
    worker.add_argument("--verbosity", type=int, default=1)
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="create or upgrade the database")
    migrate.add_argument("--verbosity", type=int, default=1)
    migrate.set_defaults(func=cmd_migrate)

    admin = sub.add_parser("createadmin", help="create the first CBP program admin")
    admin.add_argument("--username")
    admin.add_argument("--email")
    admin.add_argument("--password-stdin", action="store_true")
    admin.set_defaults(func=cmd_createadmin)

    totp = sub.add_parser("totp", help="print a demo user's current two-factor code")
    totp.add_argument("username")
    totp.add_argument("--data-dir", default=os.environ.get("CTPAT_DATA_DIR", DEMO_DIR_DEFAULT))
    totp.set_defaults(func=cmd_totp)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
