#!/usr/bin/env python3
"""ctpat's one-step launcher: ``python3 run.py demo`` or ``python3 run.py test``.

Works on a fresh machine with only Python: finds a Python new enough for Django 6 (3.12+),
makes a virtual environment, installs ctpat into it, then starts the demo or runs every test.
Environment: CTPAT_VENV (where the virtual environment goes, default .venv), CTPAT_PYTHON (a
specific interpreter), DATABASE_URL (run the tests on PostgreSQL instead of SQLite).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
MIN_VERSION = (3, 12)


def say(message: str) -> None:
    print(f"[run.py] {message}", flush=True)


def python_version(executable: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [executable, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return None


def find_python() -> str:
    candidates = []
    if os.environ.get("CTPAT_PYTHON"):
        candidates.append(os.environ["CTPAT_PYTHON"])
    candidates.append(sys.executable)
    for minor in range(20, MIN_VERSION[1] - 1, -1):
        found = shutil.which(f"python3.{minor}")
        if found:
            candidates.append(found)
    home = Path.home()
    for pattern in (
        str(home / ".pyenv/versions/3.*/bin/python3"),
        "/usr/local/bin/python3.*",
        "/opt/python*/bin/python3",
    ):
        candidates.extend(sorted(glob.glob(pattern), reverse=True))
    best = None
    for candidate in candidates:
        version = python_version(candidate)
        if version and version >= MIN_VERSION and (best is None or version > best[0]):
            best = (version, candidate)
    if best is None:
        sys.exit(
            "ctpat needs Python 3.12 or newer (Django 6 does). None was found on PATH or in "
            "pyenv. Install one (e.g. `apt-get install python3.12`, `pyenv install 3.12`) or "
            "point CTPAT_PYTHON at it."
        )
    say(f"using Python {best[0][0]}.{best[0][1]} at {best[1]}")
    return best[1]


def ensure_venv(extras: str) -> Path:
    venv = Path(os.environ.get("CTPAT_VENV", ROOT / ".venv")).resolve()
    py = venv / "bin" / "python"
    if not py.exists():
        say(f"creating virtual environment {venv}")
        subprocess.run([find_python(), "-m", "venv", str(venv)], check=True)
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    say(f"installing ctpat{'[' + extras + ']' if extras else ''} (and its dependencies)")
    subprocess.run(
        [
            str(py),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--upgrade",
            "pip",
        ],
        check=True,
    )
    subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
        check=True,
    )
    return venv


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when we can."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's chromium for the browser tests")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
    else:
        say(
            "WARNING: /usr/bin/chromium is missing and cannot be installed here; the browser "
            "tests will fail. Install it with: sudo apt-get install chromium"
        )


def cmd_demo(args: list[str]) -> int:
    venv = ensure_venv("")
    return subprocess.call([str(venv / "bin" / "ctpat"), "demo", *args])


def cmd_test(args: list[str]) -> int:
    venv = ensure_venv("test")
    ensure_chromium()
    env = dict(os.environ, CTPAT_TESTING="true")
    db = env.get("DATABASE_URL", "") or "SQLite"
    say(f"running every test on {db.split('@')[-1]}")
    if not any(a == "-n" or a.startswith("-n") or a.startswith("--numprocesses") for a in args):
        # One worker per core (2 on the reference machine); xdist gives each its own database.
        args = ["-n", "auto", *args]
    code = subprocess.call(
        [str(venv / "bin" / "python"), "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        env=env,
    )
    if code == 5:
        say("pytest collected no tests: that is a failure here, the suite must not be empty.")
        return 1
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"demo", "test"}:
        print(__doc__)
        print("usage: python3 run.py demo [ctpat demo options] | test [pytest options]")
        return 2
    command, rest = sys.argv[1], sys.argv[2:]
    return cmd_demo(rest) if command == "demo" else cmd_test(rest)


if __name__ == "__main__":
    sys.exit(main())
