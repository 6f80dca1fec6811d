"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

DELETE is let through only in a transaction that set the transaction-local
``privacy.audit_purge`` flag, which privacy.audit.audit_purge (the command
``purge_audit_log``) alone does, leaving a checkpoint so the chain verifies.
Checkpoints themselves are never changed nor removed. Other databases rely on
the guard in the models (and the hash chain, which detects any edit).
"""

from django.db import migrations

INSTALL = """
CREATE OR REPLACE FUNCTION privacy_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'privacy_auditentry'
       AND current_setting('privacy.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused (see purge_audit_log)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditentry_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditentry
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_refuse_change();

CREATE TRIGGER privacy_auditcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON privacy_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_refuse_change();
"""

UNINSTALL = """
DROP TRIGGER IF EXISTS privacy_auditcheckpoint_append_only ON privacy_auditcheckpoint;
DROP TRIGGER IF EXISTS privacy_auditentry_append_only ON privacy_auditentry;
DROP FUNCTION IF EXISTS privacy_audit_refuse_change();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INSTALL, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNINSTALL, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0004_staff_audit")]

    operations = [migrations.RunPython(install, uninstall)]
