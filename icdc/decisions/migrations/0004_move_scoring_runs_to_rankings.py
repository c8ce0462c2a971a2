"""The scoring runs moved to the ``rankings`` app (issue 14): removed from this app's state only;
the tables stay and ``rankings`` takes them over (``rankings/0001``), then renames them."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("decisions", "0003_reproductioncheck_reasons")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ReproductionCheck"),
                migrations.DeleteModel(name="ScoringRunCity"),
                migrations.DeleteModel(name="ScoringRun"),
            ],
            database_operations=[],
        ),
    ]
