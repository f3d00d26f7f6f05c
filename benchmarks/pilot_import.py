"""How long the pilot participant migration takes for a large file.

Registers N U.S. importers through the services in a fresh database, writes a CSV of all of
them (company name, IOR number, acceptance date), then times the check (parse + row checks +
error report) and the all-or-nothing commit (one membership grant per row). Prints the figures;
record them in docs/performance.md.

    .venv/bin/python benchmarks/pilot_import.py [--rows 2000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ctpat_bench \
        .venv/bin/python benchmarks/pilot_import.py
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="ctpat-pilot-bench-")
    os.environ.setdefault("CTPAT_DATA_DIR", data_dir)
    os.environ["CTPAT_TESTING"] = "true"
    os.environ["DJANGO_SETTINGS_MODULE"] = "ctpat.config.test_settings"
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)

    from ctpat.annualnotices import pilot
    from ctpat.testing import make_partner, make_user
    from ctpat.tradecompliance.models import TradeComplianceMembership

    admin = make_user("cbp_admin", organization=None)
    start = time.perf_counter()
    lines = ["company_name,ior_numbers,accepted_on"]
    for n in range(args.rows):
        partner = make_partner(
            name=f"Bench Importer {n:05d} Inc.",
            entity_type="importer",
            country="US",
            status="certified",
            directory_listed=False,
        )
        ior = partner.identifiers.get(kind="ior").value
        lines.append(f"{partner.name},{ior},2020-01-{1 + n % 28:02d}")
    setup = time.perf_counter() - start
    payload = ("\n".join(lines) + "\n").encode()

    start = time.perf_counter()
    record = pilot.pilot_import_check(
        actor=admin, uploaded_file=SimpleUploadedFile("bench.csv", payload)
    )
    checked = time.perf_counter() - start
    start = time.perf_counter()
    pilot.pilot_import_commit(actor=admin, pilot_import=record)
    committed = time.perf_counter() - start
    assert TradeComplianceMembership.objects.count() == args.rows
    print(f"database: {connection.vendor}; rows: {args.rows} (set-up {setup:.1f} s)")
    print(f"check (parse, row checks, report): {checked:6.2f} s")
    print(f"commit (all-or-nothing bulk grant): {committed:6.2f} s")
    print(f"per row: {1000 * (checked + committed) / args.rows:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
