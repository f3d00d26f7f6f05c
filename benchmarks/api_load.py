"""Latency and throughput of the partner list (API and page) on the demo data set.

Starts `ctpat demo` (gunicorn, 2 workers, SQLite) on a free port on 127.0.0.1, makes an API
token for a CBP admin and a partner officer, then sends a bounded number of requests from a few
threads. Prints p50/p95 latency and requests per second; record them in docs/performance.md.

    python benchmarks/api_load.py [--requests 400] [--threads 4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_token(data_dir: Path, username: str) -> str:
    code = (
        "from ctpat.accounts.models import User;"
        "from ctpat.accounts.services import api_token_create;"
        f"u = User.objects.get(username='{username}');"
        "print(api_token_create(actor=u, name='bench')[1])"
    )
    env = dict(os.environ, CTPAT_DATA_DIR=str(data_dir), CTPAT_DEMO="true")
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [str(BIN / "ctpat"), "manage", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def timed_get(url: str, token: str) -> float:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - start


def run(url: str, token: str, count: int, threads: int) -> str:
    timed_get(url, token)  # warm up
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        latencies = sorted(pool.map(lambda _: timed_get(url, token), range(count)))
    elapsed = time.perf_counter() - start
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    return f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {count / elapsed:6.1f} req/s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ctpat-load-"))
    port = free_port()
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [str(BIN / "ctpat"), "demo", "--data-dir", str(work), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.5)
        admin = make_token(work, "cbp.admin")
        officer = make_token(work, "harbor.officer")
        print(f"{args.requests} requests, {args.threads} threads, gunicorn 2 workers, SQLite")
        print(
            "GET /api/partners/ (CBP admin)      ",
            run(f"{base}/api/partners/", admin, args.requests, args.threads),
        )
        print(
            "GET /api/partners/ (partner officer)",
            run(f"{base}/api/partners/", officer, args.requests, args.threads),
        )
        print(
            "GET /api/audit-events/ (CBP admin)  ",
            run(f"{base}/api/audit-events/", admin, args.requests, args.threads),
        )
        return 0
    finally:
        server.terminate()
        server.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
