"""Test helpers: run the real task worker in-process.

``run_worker()`` runs `ctpat worker --batch`: django-tasks-db's worker takes every task that
is due from the database queue, runs it, and exits when none is left. The worker commits as
it goes, so tests that use it need ``transactional_db`` (a test wrapped in one transaction
would see its connection closed under it).
"""

from __future__ import annotations

import signal

_WORKER_SIGNALS = tuple(
    s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s
)


def run_worker(*, max_tasks: int | None = None) -> None:
    from ctpat.config import cli

    # db_worker installs its own shutdown handlers; give the test process its own back.
    saved = {s: signal.getsignal(s) for s in _WORKER_SIGNALS}
    argv = ["worker", "--batch", "--interval", "0", "--verbosity", "0"]
    if max_tasks:
        argv += ["--max-tasks", str(max_tasks)]
    try:
        assert cli.main(argv) == 0
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
