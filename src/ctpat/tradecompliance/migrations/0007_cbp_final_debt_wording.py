"""The debt question becomes CBP's own: an unpaid *final* debt, every remedy exhausted (issue 7,
DOMAIN.md §7.4), instead of "any debt".

A "no" given to the old, wider question stays true under the narrower one (no debt at all is no
final debt). A "yes" no longer says whether the debt is final, so it is cleared back to "not
declared": the readiness check then asks the company to answer CBP's question, instead of
refusing it for a debt that may be under protest or appeal. Questionnaire versions are not
touched: the debt is a readiness fact, not a question of the versioned questionnaire, so no
application answer changes meaning.
"""

from django.db import migrations, models


def clear_yes_answers(apps, schema_editor):
    Profile = apps.get_model("tradecompliance", "TradeComplianceProfile")
    Profile.objects.filter(has_cbp_debt=True).update(has_cbp_debt=None)


class Migration(migrations.Migration):
    dependencies = [("tradecompliance", "0006_account_number_sequence")]

    operations = [
        migrations.AlterField(
            model_name="tradecomplianceprofile",
            name="has_cbp_debt",
            field=models.BooleanField(
                blank=True,
                help_text="Empty until the company says.",
                null=True,
                verbose_name="Has an unpaid final debt to CBP",
            ),
        ),
        migrations.RunPython(clear_yes_answers, migrations.RunPython.noop),
    ]
