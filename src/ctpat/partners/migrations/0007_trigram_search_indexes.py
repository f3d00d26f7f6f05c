"""Trigram (pg_trgm) indexes for the name searches, on PostgreSQL only.

Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%…%')``, which no B-tree serves; a GIN
trigram index on the same ``UPPER(col)`` expression does. SQLite keeps its plain scan.
``CREATE EXTENSION`` needs a role allowed to create it (pg_trgm is a trusted extension since
PostgreSQL 13, so a database owner may).
"""

from django.db import migrations

INDEXES = [
    ("organization_name_trgm_idx", "accounts_organization", "name"),
    ("partner_dba_name_trgm_idx", "partners_partner", "dba_name"),
    ("audit_actor_label_trgm_idx", "core_auditevent", "actor_label"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_scale_indexes"),
        ("core", "0002_scale_indexes"),
        ("partners", "0006_scale_indexes"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
