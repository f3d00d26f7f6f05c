"""Forced-labor obligation of existing Trade Compliance members (issue 7, DOMAIN.md §7.4).

Creates ``ForcedLaborObligation`` / ``ForcedLaborDocument`` and gives every membership accepted
before ``settings.CTPAT_TC_FORCED_LABOR_CUTOFF`` (default 1 Aug 2022; pilot imports and recorded
members included) an open obligation, each recorded in the audit trail by the system. Members
accepted on or after the cut-off met the requirements when they applied and get none.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def open_obligations(apps, schema_editor):
    from ctpat.core.ids import new_public_id

    Membership = apps.get_model("tradecompliance", "TradeComplianceMembership")
    Obligation = apps.get_model("tradecompliance", "ForcedLaborObligation")
    AuditEvent = apps.get_model("core", "AuditEvent")
    cutoff = settings.CTPAT_TC_FORCED_LABOR_CUTOFF
    members = (
        Membership.objects.filter(accepted_on__lt=cutoff, forced_labor_obligation__isnull=True)
        .select_related("partner")
        .order_by("pk")
    )
    for membership in members.iterator():
        obligation = Obligation.objects.create(
            public_id=new_public_id("TFL"), membership=membership, state="open"
        )
        AuditEvent.objects.create(
            public_id=new_public_id("EVT"),
            actor_label="system",
            organization_id=membership.partner.organization_id,
            action="tradecompliance.forced_labor_open",
            object_type="tradecompliance.forcedlaborobligation",
            object_id=obligation.public_id,
            object_repr=f"Forced-labor obligation of {membership.account_number}"[:300],
            after={
                "membership": membership.public_id,
                "accepted_on": membership.accepted_on.isoformat(),
                "state": "open",
            },
            reason=(
                f"Accepted before {cutoff.isoformat()}: the forced-labor requirements are a "
                "tracked obligation (migration tradecompliance.0008)."
            ),
            service="ctpat.tradecompliance.migrations.0008_forced_labor_obligation",
            source="system",
        )


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        ('tradecompliance', '0007_cbp_final_debt_wording'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ForcedLaborObligation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('public_id', models.CharField(editable=False, max_length=24, unique=True)),
                ('state', models.CharField(choices=[('open', 'Open'), ('submitted', 'Submitted, awaiting CBP'), ('met', 'Met')], default='open', max_length=12)),
                ('statement', models.TextField(blank=True, help_text='How the company meets the forced-labor requirements.')),
                ('code_of_conduct_url', models.CharField(blank=True, max_length=500)),
                ('submitted_at', models.DateTimeField(blank=True, null=True)),
                ('met_on', models.DateField(blank=True, null=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('cbp_note', models.TextField(blank=True, help_text="CBP's note on the decision, or why it was returned.", verbose_name='CBP note')),
                ('returned_count', models.PositiveSmallIntegerField(default=0)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('membership', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='forced_labor_obligation', to='tradecompliance.tradecompliancemembership')),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'forced-labor obligation',
                'ordering': ['membership__account_number'],
            },
        ),
        migrations.CreateModel(
            name='ForcedLaborDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('public_id', models.CharField(editable=False, max_length=24, unique=True)),
                ('code', models.CharField(max_length=32)),
                ('file', models.FileField(max_length=200, upload_to='')),
                ('original_name', models.CharField(max_length=200)),
                ('file_type', models.CharField(help_text='Detected from the content.', max_length=16)),
                ('size', models.PositiveBigIntegerField()),
                ('scan_status', models.CharField(max_length=16)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('obligation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='tradecompliance.forcedlaborobligation')),
            ],
            options={
                'ordering': ['obligation', 'created_at'],
            },
        ),
        migrations.RunPython(open_obligations, migrations.RunPython.noop),
]
