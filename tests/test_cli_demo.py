"""`ctpat demo` really starts: a subprocess serves HTTP on 127.0.0.1 within 60 seconds."""

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
    finally:
        proc.terminate()
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
    assert "THIS IS A DEMO" in output
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
