# Joins the privacy migrations of branches started side by side: consent and
# privacy requests, the audit log, and the data map inventory.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_requests_initial"),
        ("privacy", "0002_staff_audit_append_only"),
        ("privacy", "0003_datamap_inventory"),
    ]

    operations = []
