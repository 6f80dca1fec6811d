# Joins the privacy migrations of the consent layer and privacy requests with
# those of the audit log (branches started side by side).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_requests_initial"),
        ("privacy", "0002_staff_audit_append_only"),
    ]

    operations = []
