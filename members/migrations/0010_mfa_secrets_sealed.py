"""Seal the second factors' secrets already stored in clear (members.mfa).

TOTP secrets and recovery-code seeds written before the MFA adapter sealed
them sit in ``mfa_authenticator.data`` as plain text: each is sealed for its
row (owner and type). Values already sealed are left alone, so the migration
can be run again; the reverse opens them back to clear text.
"""

from django.db import migrations

BATCH = 500


def seal_existing(apps, schema_editor):
    from members.mfa import seal_for_row

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=BATCH):
        sealed = seal_for_row(
            authenticator.data, kind=authenticator.type, user_id=authenticator.user_id
        )
        if sealed != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=sealed)


def open_existing(apps, schema_editor):
    from members.mfa import open_for_row

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=BATCH):
        opened = open_for_row(
            authenticator.data, kind=authenticator.type, user_id=authenticator.user_id
        )
        if opened != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=opened)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_members_records"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(seal_existing, open_existing)]
