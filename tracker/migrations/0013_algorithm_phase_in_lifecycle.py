from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_restore_phase_retired_items"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='algorithm',
            constraint=models.CheckConstraint(condition=models.Q(('phase', 'organisatieverantwoordelijkheden'), _negated=True), name='algorithm_phase_in_lifecycle'),
        ),
    ]
