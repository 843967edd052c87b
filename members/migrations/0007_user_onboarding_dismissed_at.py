from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_profile_credit"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="onboarding_dismissed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="premiers pas masqués le"),
        ),
    ]
