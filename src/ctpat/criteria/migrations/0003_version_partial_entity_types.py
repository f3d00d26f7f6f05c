from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("criteria", "0002_load_shipped_catalog"),
    ]

    operations = [
        migrations.AddField(
            model_name="criteriaversion",
            name="partial_entity_types",
            field=models.JSONField(
                blank=True,
                default=list,
                null=True,
                help_text="Business entity types whose table in this version holds only some of "
                "CBP's rows (CBP publishes the full table in the CTPAT Public Library).",
            ),
        ),
    ]
