"""Settings come from the environment and default to safe production values."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

PROBE = (
    "import json, django, os;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'ctpat.config.settings');"
    "from django.conf import settings;"
    "print(json.dumps({k: getattr(settings, k) for k in "
    "['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
    "'ALLOWED_HOSTS', 'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF']} | "
    "{'DB': settings.DATABASES['default']['ENGINE'], "
    "'MAILER': settings.MAILERS['default']['BACKEND'], 'CSP': settings.SECURE_CSP}, "
    "default=str))"
)


def probe(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CTPAT_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "DEBUG"))
    }
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=clean, capture_output=True, text=True, timeout=60
    )
    return result


def test_without_secret_key_production_refuses_to_start():
    result = probe()
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_defaults_are_safe(tmp_path):
    result = probe(SECRET_KEY="x" * 50, CTPAT_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["CSP"]["script-src"] == ["'self'"]
    assert values["MAILER"].endswith("smtp.EmailBackend")
    assert values["DB"] == "django.db.backends.sqlite3"


def test_environment_configures_database_hosts_hsts_and_mail(tmp_path):
    result = probe(
        SECRET_KEY="x" * 50,
        DATABASE_URL="postgres://u:p@db.example:5432/ctpat",
        ALLOWED_HOSTS="ctpat.example.gov, other.example",
        CTPAT_HSTS_SECONDS="31536000",
        CTPAT_SSL_REDIRECT="true",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DB"] == "django.db.backends.postgresql"
    assert values["ALLOWED_HOSTS"] == ["ctpat.example.gov", "other.example"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["MAILER"].endswith("console.EmailBackend")


def test_a_malformed_boolean_is_a_clear_error():
    result = probe(SECRET_KEY="x" * 50, DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
