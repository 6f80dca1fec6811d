"""An account's "has a member record" flag, kept by the database, for the purge's walk.

The retention rule for accounts takes those without a member record. Testing each
account against members_member in (date_joined, pk) order read all 300,000 accounts
of the scale population (560 ms a batch bound) before it knew a batch was empty. The
flag, written only by triggers on members_member (insert, delete, change of
user_id), lets a partial index hold just the accounts the rule can take.
"""

from django.db import migrations, models

POSTGRESQL_INSTALL = """
CREATE OR REPLACE FUNCTION members_user_has_member_record_sync() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.user_id IS NOT DISTINCT FROM NEW.user_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.user_id IS NOT NULL THEN
        UPDATE members_user SET has_member_record = FALSE
        WHERE id = OLD.user_id AND has_member_record;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.user_id IS NOT NULL THEN
        UPDATE members_user SET has_member_record = TRUE
        WHERE id = NEW.user_id AND NOT has_member_record;
    END IF;
    RETURN NULL;
END
$$;
DROP TRIGGER IF EXISTS members_member_has_member_record ON members_member;
CREATE TRIGGER members_member_has_member_record
AFTER INSERT OR DELETE OR UPDATE OF user_id ON members_member
FOR EACH ROW EXECUTE FUNCTION members_user_has_member_record_sync();
UPDATE members_user SET has_member_record = TRUE
WHERE id IN (SELECT user_id FROM members_member WHERE user_id IS NOT NULL);
"""

POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS members_member_has_member_record ON members_member;
DROP FUNCTION IF EXISTS members_user_has_member_record_sync();
"""

SQLITE_INSTALL = [
    """CREATE TRIGGER IF NOT EXISTS members_member_has_member_record_insert
    AFTER INSERT ON members_member WHEN NEW.user_id IS NOT NULL
    BEGIN UPDATE members_user SET has_member_record = 1 WHERE id = NEW.user_id; END""",
    """CREATE TRIGGER IF NOT EXISTS members_member_has_member_record_delete
    AFTER DELETE ON members_member WHEN OLD.user_id IS NOT NULL
    BEGIN UPDATE members_user SET has_member_record = 0 WHERE id = OLD.user_id; END""",
    """CREATE TRIGGER IF NOT EXISTS members_member_has_member_record_update
    AFTER UPDATE OF user_id ON members_member WHEN OLD.user_id IS NOT NEW.user_id
    BEGIN
        UPDATE members_user SET has_member_record = 0 WHERE id = OLD.user_id;
        UPDATE members_user SET has_member_record = 1 WHERE id = NEW.user_id;
    END""",
    """UPDATE members_user SET has_member_record = 1
    WHERE id IN (SELECT user_id FROM members_member WHERE user_id IS NOT NULL)""",
]

SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS members_member_has_member_record_insert",
    "DROP TRIGGER IF EXISTS members_member_has_member_record_delete",
    "DROP TRIGGER IF EXISTS members_member_has_member_record_update",
]


def install(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE)
    elif connection.vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("members", "0032_dependant_relationship_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="has_member_record",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunPython(install, remove, elidable=False),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(has_member_record=False, is_staff=False, is_superuser=False),
                fields=["date_joined", "id"],
                name="members_user_purge_unlinked",
            ),
        ),
    ]
