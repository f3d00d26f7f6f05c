"""The `ctpat` command: createadmin, migrate, totp guards."""

import os
import subprocess
import sys
from pathlib import Path

CTPAT = str(Path(sys.executable).parent / "ctpat")


def run(*args, env=None, stdin=""):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CTPAT_TESTING", "DJANGO_SETTINGS_MODULE", "CTPAT_DEMO"}
    }
    base.update(env or {})
    return subprocess.run(
        [CTPAT, *args], input=stdin, capture_output=True, text=True, env=base, timeout=120
    )


def test_migrate_then_createadmin_makes_a_cbp_admin(tmp_path):
    env = {"CTPAT_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}
    assert run("migrate", "--verbosity", "0", env=env).returncode == 0
    weak = run(
        "createadmin",
        "--username",
        "root",
        "--email",
        "root@example.test",
        "--password-stdin",
        env=env,
        stdin="short\n",
    )
    assert weak.returncode == 2
    assert "too short" in weak.stderr
    ok = run(
        "createadmin",
        "--username",
        "root",
        "--email",
        "root@example.test",
        "--password-stdin",
        env=env,
        stdin="a-strong-admin-passphrase\n",
    )
    assert ok.returncode == 0, ok.stderr
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; django.setup();"
            "from ctpat.accounts.models import User; u = User.objects.get(username='root');"
            "print(u.role, u.is_superuser, u.organization.kind)",
        ],
        env={
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": "ctpat.config.settings",
            "DATABASE_URL": "",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.stdout.split() == ["cbp_admin", "False", "cbp"], check.stderr


def test_totp_refuses_a_database_without_demo_data(tmp_path):
    result = run("totp", "cbp.admin", "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert "no demo database" in result.stderr


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_migrate_loads_the_shipped_resources_once(tmp_path):
    env = {"CTPAT_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 50}
    first = run("migrate", "--verbosity", "1", env=env)
    assert first.returncode == 0, first.stderr
    assert "shipped resource(s) into the library" in first.stdout
    again = run("migrate", "--verbosity", "1", env=env)
    assert again.returncode == 0, again.stderr
    assert "shipped resource" not in again.stdout
    count = run(
        "manage",
        "shell",
        "-c",
        "from ctpat.resources.models import Resource; print(Resource.objects.count())",
        env=env,
    )
    assert count.returncode == 0, count.stderr
    assert int(count.stdout.strip().splitlines()[-1]) >= 10
