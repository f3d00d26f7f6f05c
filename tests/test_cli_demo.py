"""`ctpat demo` really starts: a subprocess serves HTTP on 127.0.0.1 within 60 seconds, with
the background task worker running beside it and stopped with it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

DEMO_START_LIMIT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _worker_children(pid: int) -> list[int]:
    """Child processes of ``pid`` that run `ctpat worker` (read from Linux's /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"ctpat.config.cli" in argv and b"worker" in argv:
                found.append(int(child))
    return found


def test_demo_loads_data_and_serves_within_60_seconds(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CTPAT_TESTING", "DJANGO_SETTINGS_MODULE"}
    }
    ctpat = Path(sys.executable).parent / "ctpat"
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            str(ctpat),
            "demo",
            "--data-dir",
            str(tmp_path / "demo"),
            "--port",
            str(port),
            "--workers",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        body = None
        while time.monotonic() - started < DEMO_START_LIMIT_SECONDS:
            if proc.poll() is not None:
                pytest.fail("ctpat demo exited early:\n" + proc.stdout.read())
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        elapsed = time.monotonic() - started
        assert body is not None, f"not serving after {elapsed:.0f}s"
        assert "Log in" in body or "log in" in body.lower()
        assert "demonstration" in body.lower()
        workers = _worker_children(proc.pid)
        assert len(workers) == 1, "ctpat demo should run one background worker"
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert "THIS IS A DEMO" in output
    assert f"Background worker started (pid {workers[0]})" in output
    assert not Path(f"/proc/{workers[0]}").exists(), "the worker outlived the demo"
    assert f"http://127.0.0.1:{port}/" in output
    for username in (
        "cbp.admin",
        "cbp.scss",
        "cbp.nam",
        "cbp.fld",
        "harbor.officer",
        "harbor.compliance",
        "auditor.meridian",
        "mra.cbsa",
    ):
        assert username in output
