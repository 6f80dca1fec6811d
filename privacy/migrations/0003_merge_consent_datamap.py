# Merges the consent layer's and the data map inventory's migrations (both start
# privacy's history). Needed on any branch that holds both; the integrator may
# keep this one or replace it with their own.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_datamap_inventory"),
        ("privacy", "0002_consent_policy_v1"),
    ]

    operations = []
