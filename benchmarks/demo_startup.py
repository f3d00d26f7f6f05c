"""How long a fresh install takes to serve the demo.

Creates a new virtual environment, installs ctpat into it (from PyPI for dependencies), then
runs `ctpat demo` on a free port with a new data folder and times until the log-in page
answers over HTTP on 127.0.0.1. Prints the figures; record them in docs/performance.md.

    python3 benchmarks/demo_startup.py [--python /path/to/python3.12]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", default=sys.executable)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ctpat-bench-"))
    try:
        t0 = time.monotonic()
        subprocess.run([args.python, "-m", "venv", str(work / "venv")], check=True)
        subprocess.run(
            [str(work / "venv/bin/pip"), "install", "-q", "--disable-pip-version-check", str(ROOT)],
            check=True,
        )
        install = time.monotonic() - t0
        port = free_port()
        t1 = time.monotonic()
        proc = subprocess.Popen(
            [
                str(work / "venv/bin/ctpat"),
                "demo",
                "--data-dir",
                str(work / "data"),
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        serving = None
        while time.monotonic() - t1 < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                    serving = time.monotonic() - t1
                    break
            except OSError:
                time.sleep(0.2)
        proc.terminate()
        proc.wait(timeout=20)
        t2 = time.monotonic()
        proc = subprocess.Popen(
            [
                str(work / "venv/bin/ctpat"),
                "demo",
                "--data-dir",
                str(work / "data"),
                "--port",
                str(port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        restart = None
        while time.monotonic() - t2 < 120:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                    restart = time.monotonic() - t2
                    break
            except OSError:
                time.sleep(0.2)
        proc.terminate()
        proc.wait(timeout=20)
        print(f"fresh install (venv + pip install ctpat): {install:6.1f} s")
        print(
            f"first `ctpat demo` until serving:          {serving:6.1f} s"
            if serving
            else "first `ctpat demo`: did not serve within 120 s"
        )
        print(
            f"second `ctpat demo` (data present):        {restart:6.1f} s"
            if restart
            else "second `ctpat demo`: did not serve within 120 s"
        )
        return 0 if serving and restart else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
