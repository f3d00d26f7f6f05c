"""Page and API latency at production scale on PostgreSQL (issue 8, "Production scale").

Seeds a database of its own with about 20,000 partners, 200,000 SVI connections and 2,000,000
audit events (server-side ``INSERT … SELECT generate_series``: it is a benchmark, so the seed
skips the services on purpose), then times each main page and API list through Django's test
Client as a CBP program admin and as a partner officer, and prints the median of ``--repeat``
requests per URL. Record the figures in docs/performance.md.

    python benchmarks/scale.py [--database-url postgres://postgres@127.0.0.1:5432/ctpat_scale]
        [--partners 20000 --connections 200000 --events 2000000] [--repeat 5] [--reseed]
        [--only partners]

The database is created and migrated if missing and seeded once (``--reseed`` drops it first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ctpat_scale"
SEED_MARK = "scale-bench"  # program_name of every seeded organization


def _admin_connection(url: str):
    import psycopg

    parts = urlparse(url)
    admin = parts._replace(path="/postgres").geturl()
    return psycopg.connect(admin, autocommit=True), parts.path.lstrip("/")


def ensure_database(url: str, reseed: bool) -> None:
    conn, name = _admin_connection(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reseed:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "scale-benchmark-" + "x" * 50)
    os.environ.setdefault("CTPAT_DATA_DIR", str(Path("/tmp") / "ctpat-scale-bench"))
    os.environ.setdefault("CTPAT_SITE_URL", "http://127.0.0.1")
    os.environ["CTPAT_LOGIN_THROTTLING"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctpat.config.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


SEED_SQL = [
    # Organizations and partners: ids above anything already there, names sortable and searchable.
    """
    INSERT INTO accounts_organization
        (id, created_at, updated_at, public_id, name, kind, country, program_name, is_active)
    SELECT %(base)s + i, now(), now(), 'ORGSB' || lpad(i::text, 8, '0'),
           (ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Stark','Wayne','Tyrell'])
               [1 + i %% 8]
             || ' ' || (ARRAY['Trading','Logistics','Imports','Freight','Supply'])[1 + i %% 5]
             || ' ' || i::text,
           'partner', 'US', %(mark)s, true
    FROM generate_series(1, %(partners)s) AS i
    """,
    """
    INSERT INTO partners_partner
        (id, created_at, updated_at, public_id, entity_type, dba_name, country, city, address,
         website, primary_contact_name, primary_contact_email, primary_contact_phone, status,
         status_changed_at, status_before_suspension, applied_on, certification_date,
         last_validation_date, svi_auto_accept, svi_share_more, organization_id,
         svi_directory_listed, exit_ground, status_before_removal)
    SELECT %(base)s + i, now() - (i %% 1500) * interval '1 day', now(),
           'CTSB' || lpad(i::text, 8, '0'),
           (ARRAY['importer','exporter','foreign_manufacturer','highway_carrier'])[1 + i %% 4],
           CASE WHEN i %% 3 = 0 THEN 'DBA ' || i::text ELSE '' END, 'US', 'Springfield', '',
           '', 'Contact ' || i::text, 'contact' || i::text || '@example.com', '',
           (ARRAY['certified','certified','certified','applicant','pre_applicant',
                  'suspended','withdrawn','removed'])[1 + i %% 8],
           now() - (i %% 900) * interval '1 day', '',
           current_date - (400 + i %% 900),
           CASE WHEN i %% 8 < 3 THEN current_date - (i %% 1400) END,
           CASE WHEN i %% 16 = 0 THEN current_date - (i %% 1000) END,
           i %% 10 = 0, i %% 4 = 0, %(base)s + i, i %% 2 = 0, '', ''
    FROM generate_series(1, %(partners)s) AS i
    """,
    # Each partner asks about `connections / partners` others; most links are accepted.
    """
    INSERT INTO partners_sviconnection
        (created_at, updated_at, public_id, status, message, decided_at, decision_reason,
         requester_id, target_id, requested_by_number)
    SELECT now() - (c %% 700) * interval '1 day', now(), 'SVISB' || lpad(c::text, 9, '0'),
           CASE WHEN c %% 10 < 8 THEN 'accepted' WHEN c %% 10 = 8 THEN 'pending'
                ELSE 'rejected' END,
           '', now(), '', %(base)s + 1 + r, %(base)s + 1 + (r + 1 + k) %% %(partners)s, false
    FROM generate_series(0, %(connections)s - 1) AS c,
         LATERAL (SELECT c %% %(partners)s AS r,
                         ((c / %(partners)s) * 7919 + 13) %% (%(partners)s - 1) AS k) AS x
    """,
    # Audit events about partners, spread over three years, tenant = the partner's organization.
    """
    INSERT INTO core_auditevent
        (public_id, occurred_at, actor_label, action, object_type, object_id, object_repr,
         before, after, reason, service, source, request_id, organization_id,
         actor_organization_id)
    SELECT 'EVTSB' || lpad(e::text, 10, '0'),
           now() - (e * interval '47 seconds'),
           'user' || (e %% 500)::text || '@example.com',
           (ARRAY['partner.update','partner.status_change','svi.request','svi.accept',
                  'identifier.add'])[1 + e %% 5],
           'partners.partner', 'CTSB' || lpad((1 + e %% %(partners)s)::text, 8, '0'),
           'Partner ' || (1 + e %% %(partners)s)::text,
           '{"status": "applicant"}'::jsonb, '{"status": "certified"}'::jsonb, '',
           'ctpat.partners.services.partner_update', 'web', '',
           %(base)s + 1 + e %% %(partners)s, %(base)s + 1 + e %% %(partners)s
    FROM generate_series(1, %(events)s) AS e
    """,
]


def seed(partners: int, connections: int, events: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accounts_organization WHERE program_name = %s", [SEED_MARK]
        )
        if cursor.fetchone()[0]:
            print("Already seeded; --reseed to start over.")
            return
        cursor.execute("SELECT coalesce(max(id), 0) + 1000 FROM accounts_organization")
        base = cursor.fetchone()[0]
        params = {
            "base": base,
            "partners": partners,
            "connections": connections,
            "events": events,
            "mark": SEED_MARK,
        }
        for sql in SEED_SQL:
            start = time.perf_counter()
            cursor.execute(sql, params)
            table = sql.split("INSERT INTO")[1].split()[0]
            print(f"  {table:28} {cursor.rowcount:>10,} rows {time.perf_counter() - start:7.1f} s")
        for table in (
            "accounts_organization",
            "partners_partner",
            "partners_sviconnection",
            "core_auditevent",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
            cursor.execute(f"VACUUM ANALYZE {table}")


def bench_users():
    """A CBP program admin (second factor passed) and an officer of one seeded partner."""
    from ctpat.accounts.models import Organization, User
    from ctpat.testing import make_organization, make_user

    cbp = User.objects.filter(username="scale-cbp").first()
    if cbp is None:
        cbp = make_user("cbp_admin", organization=make_organization("cbp"), username="scale-cbp")
    officer = User.objects.filter(username="scale-officer").first()
    if officer is None:
        org = Organization.objects.filter(program_name=SEED_MARK).order_by("id")[123]
        officer = make_user("partner_officer", organization=org, username="scale-officer")
    return cbp, officer


def client_for(user):
    from django.test import Client
    from django.test.client import RequestFactory
    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if user.needs_two_factor:
        from ctpat.accounts.services import totp_device_create_confirmed

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = totp_device_create_confirmed(actor=None, user=user)
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        otp_login(request, device)
        request.session.save()
    return client


def timed(client, url: str, repeat: int, first_bytes: bool = False) -> tuple[float, int]:
    """Median seconds of ``repeat`` GETs (to the first chunk if ``first_bytes``), last status."""
    times, status = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        status = response.status_code
        if response.streaming:
            iterator = iter(response.streaming_content)
            next(iterator, b"")
            if not first_bytes:
                for _chunk in iterator:
                    pass
            response.close()
        times.append(time.perf_counter() - start)
    return statistics.median(times), status


def cases(officer):
    from ctpat.core.models import AuditEvent
    from ctpat.partners.models import Partner

    own = Partner.objects.get(organization_id=officer.organization_id)
    other = Partner.objects.order_by("-id").values_list("public_id", flat=True)[0]
    last_page = AuditEvent.objects.count() // 50 + 1
    halfway = AuditEvent.objects.order_by("-occurred_at", "-id")[last_page * 25]
    middle = f"{halfway.occurred_at.isoformat()}~{halfway.pk}".replace("+", "%2B")
    return [
        ("cbp", "partners list", "/partners/", 0),
        ("cbp", "partners list q=", "/partners/?q=Initech%20Freight%201", 0),
        ("cbp", "partners list q= account", f"/partners/?q={own.public_id}", 0),
        ("cbp", "partners list sorted by status", "/partners/?ordering=status", 0),
        ("cbp", "/api/partners/", "/api/partners/", 0),
        ("cbp", "/api/partners/?q=", "/api/partners/?q=Hooli", 0),
        ("cbp", "partners CSV", "/partners/?format=csv", 0),
        ("cbp", "dashboard", "/", 0),
        ("cbp", "partner history", f"/partners/{other}/history/", 0),
        ("cbp", "audit log first page", "/audit/", 0),
        ("cbp", "audit log last page (OFFSET)", f"/audit/?page={last_page}", 0),
        ("cbp", "audit log oldest page (keyset)", "/audit/?oldest=1", 0),
        ("cbp", "audit log older page (keyset)", f"/audit/?after={middle}", 0),
        ("cbp", "audit log by object", f"/audit/?object_id={other}", 0),
        ("cbp", "audit log by actor", "/audit/?actor=user42%40", 0),
        ("cbp", "/api/audit-events/", "/api/audit-events/", 0),
        ("cbp", "/api/audit-events/ by object", f"/api/audit-events/?object_id={other}", 0),
        ("cbp", "audit CSV first bytes", "/audit/?format=csv", 1),
        ("cbp", "audit CSV total", "/audit/?format=csv", 2),
        ("cbp", "ANL overview", "/annual-notifications/", 0),
        ("officer", "partners list", "/partners/", 0),
        ("officer", "partners list q=", "/partners/?q=Acme", 0),
        ("officer", "/api/partners/", "/api/partners/", 0),
        ("officer", "/api/svi-connections/", "/api/svi-connections/", 0),
        ("officer", "dashboard", "/", 0),
        ("officer", "partner history (own)", f"/partners/{own.public_id}/history/", 0),
        ("officer", "/api/audit-events/", "/api/audit-events/", 0),
        ("officer", "partners CSV", "/partners/?format=csv", 0),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--partners", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--only", default="", help="time only cases whose label contains this")
    args = parser.parse_args()

    ensure_database(args.database_url, args.reseed)
    setup_django(args.database_url)
    start = time.perf_counter()
    seed(args.partners, args.connections, args.events)
    print(f"seed: {time.perf_counter() - start:.1f} s")
    cbp, officer = bench_users()
    clients = {"cbp": client_for(cbp), "officer": client_for(officer)}
    print(f"{'viewer':8} {'page':34} {'median ms':>10} status")
    for viewer, label, url, mode in cases(officer):
        if args.only and args.only not in label:
            continue
        repeat = 1 if mode == 2 else args.repeat
        if "format=csv" not in url:
            clients[viewer].get(url)  # warm caches once
        seconds, status = timed(clients[viewer], url, repeat, first_bytes=mode == 1)
        print(f"{viewer:8} {label:34} {seconds * 1000:10.0f} {status}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
