# Joins privacy requests (0003_requests_initial, started beside the data map
# inventory) with the rest of privacy's history (staff side, then retention).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_requests_initial"),
        ("privacy", "0009_retention_initial"),
    ]

    operations = []
