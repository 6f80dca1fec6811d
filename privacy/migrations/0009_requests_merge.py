# Joins the privacy migrations of branches started side by side: privacy
# requests (0003_requests_initial), the staff side (audit log, staff documents,
# roles, registers) and retention (0001_retention_initial).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0003_requests_initial"),
        ("privacy", "0008_staff_registers"),
        ("privacy", "0001_retention_initial"),
    ]

    operations = []
