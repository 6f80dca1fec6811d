import privacy.fields
from django.db import migrations


def index_existing_members(apps, schema_editor):
    """Compute the new index for every record already there (values opened in memory only)."""
    Member = apps.get_model("members", "Member")
    field = Member._meta.get_field("name_birth_index")
    for member in Member.objects.only("pk", "last_name", "date_of_birth").iterator(chunk_size=500):
        digest = field.index_of((member.last_name, member.date_of_birth))
        Member.objects.filter(pk=member.pk).update(name_birth_index=digest)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0020_user_portal_host"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="name_birth_index",
            field=privacy.fields.BlindIndexField(
                normaliser=("name", "text"),
                source=("last_name", "date_of_birth"),
                verbose_name="index du nom de famille et de la date de naissance",
            ),
        ),
        migrations.RunPython(index_existing_members, migrations.RunPython.noop, elidable=True),
    ]
