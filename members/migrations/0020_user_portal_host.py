from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0010_mfa_secrets_sealed")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="portal_host",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Le site du portail (ASEQ ou Studentcare) par lequel le membre se connecte."
                ),
                max_length=253,
                verbose_name="site utilisé",
            ),
        ),
    ]
