"""On PostgreSQL, only the owner's purge function can remove audit entries.

Until now a transaction-local setting, ``privacy.audit_purge``, let a DELETE
through the append-only trigger, and any role can set such a setting. Now:

- ``privacy_audit_purge(before, actor_id, actor_role)`` is the only way old
  entries leave. It is ``SECURITY DEFINER``, owned by the role that runs the
  migrations (never the web process's): it removes the entries, writes the
  checkpoint and the ``audit.purge`` chain entry itself, in one transaction;
- the row trigger lets a DELETE through only when the current user is the
  table's owner *and* the purge flag is on: inside the function, or the owner
  by hand. The application role setting the flag gets nothing;
- ``TRUNCATE`` of the audit tables is refused to every role but the owner
  (Django's ``flush`` in the tests runs as the owner);
- the chain head only moves forward, to an entry that exists with that hash;
- every role but the owner loses UPDATE, DELETE and TRUNCATE on the log, and
  INSERT on checkpoints (only the purge function writes them);
- an event trigger refuses to DROP any audit table, trigger or function, unless
  the transaction sets ``privacy.audit_ddl`` on (a migration that means it).
  Event triggers need a superuser: when the migrating role is not one, the
  rest is installed, a warning says so, and ``manage.py install_audit_drop_guard``
  run once by a superuser installs it (docs/deployment.md).

Other databases rely on the guards in the models and on the signed anchors.
"""

import logging

from django.db import migrations

logger = logging.getLogger("privacy.audit")

GUARD = r"""
CREATE OR REPLACE FUNCTION privacy_audit_is_owner(relation regclass) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class WHERE oid = relation
$$;

CREATE OR REPLACE FUNCTION privacy_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'privacy_auditentry'
       AND current_setting('privacy.audit_purge', true) = 'on'
       AND privacy_audit_is_owner(TG_RELID) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused (see purge_audit_log)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION privacy_audit_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF privacy_audit_is_owner(TG_RELID) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused (see purge_audit_log)', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditentry_no_truncate
    BEFORE TRUNCATE ON privacy_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_refuse_truncate();
CREATE TRIGGER privacy_auditcheckpoint_no_truncate
    BEFORE TRUNCATE ON privacy_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_refuse_truncate();
CREATE TRIGGER privacy_auditchainhead_no_truncate
    BEFORE TRUNCATE ON privacy_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION privacy_audit_refuse_truncate();

CREATE OR REPLACE FUNCTION privacy_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF privacy_audit_is_owner(TG_RELID) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'privacy_auditchainhead: DELETE refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.id <> OLD.id OR NEW.last_id < OLD.last_id THEN
        RAISE EXCEPTION 'privacy_auditchainhead only moves forward: rewind refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (NEW.last_id, NEW.last_hash) IS DISTINCT FROM (OLD.last_id, OLD.last_hash)
       AND NOT EXISTS (
           SELECT 1 FROM privacy_auditentry WHERE id = NEW.last_id AND hash = NEW.last_hash
       ) THEN
        RAISE EXCEPTION 'privacy_auditchainhead must name an entry of the log: refused'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_auditchainhead_forward
    BEFORE UPDATE OR DELETE ON privacy_auditchainhead
    FOR EACH ROW EXECUTE FUNCTION privacy_audit_head_forward();

-- The one way out. Its canonical JSON and hash are exactly those of
-- privacy.audit.chain.entry_hash, so the purge entry verifies like any other.
CREATE OR REPLACE FUNCTION privacy_audit_purge(
    p_before timestamptz, p_actor_id text, p_actor_role text
) RETURNS TABLE (removed bigint, through_id bigint, checkpoint_id bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    v_now timestamptz := clock_timestamp();
    v_head_id bigint;
    v_head_hash text;
    v_through bigint;
    v_through_hash text;
    v_removed bigint;
    v_checkpoint bigint;
    v_id bigint;
    v_canonical text;
    v_hash text;
BEGIN
    IF p_before IS NULL THEN
        RAISE EXCEPTION 'privacy_audit_purge: a cutoff date is required';
    END IF;
    IF coalesce(p_actor_id, '') !~ '^[A-Za-z0-9_.:-]{0,64}$'
       OR coalesce(p_actor_role, '') !~ '^[a-z][a-z0-9_]{0,31}$' THEN
        RAISE EXCEPTION 'privacy_audit_purge: actor id and role are codes';
    END IF;
    INSERT INTO privacy_auditchainhead (id, last_id, last_hash)
        VALUES (1, 0, repeat('0', 64)) ON CONFLICT (id) DO NOTHING;
    SELECT h.last_id, h.last_hash INTO v_head_id, v_head_hash
        FROM privacy_auditchainhead h WHERE h.id = 1 FOR UPDATE;
    SELECT e.id, e.hash INTO v_through, v_through_hash FROM privacy_auditentry e
        WHERE e.created_at < p_before AND e.id <= v_head_id ORDER BY e.id DESC LIMIT 1;
    IF v_through IS NULL THEN
        RETURN QUERY SELECT 0::bigint, NULL::bigint, NULL::bigint;
        RETURN;
    END IF;

    PERFORM set_config('privacy.audit_purge', 'on', true);
    DELETE FROM privacy_auditentry e WHERE e.id <= v_through;
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    PERFORM set_config('privacy.audit_purge', 'off', true);

    INSERT INTO privacy_auditcheckpoint (created_at, through_id, through_hash, removed_count)
        VALUES (v_now, v_through, v_through_hash, v_removed) RETURNING id INTO v_checkpoint;

    v_id := v_head_id + 1;
    v_canonical := '{"action":"audit.purge"'
        || ',"actor_id":' || to_json(coalesce(p_actor_id, ''))::text
        || ',"actor_role":' || to_json(p_actor_role)::text
        || ',"created_at":"'
        || to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00"'
        || ',"id":' || v_id
        || ',"ip_prefix":""'
        || ',"metadata":{"removed":' || v_removed || ',"through_id":' || v_through || '}'
        || ',"object_id":"' || v_checkpoint || '"'
        || ',"object_type":"privacy.AuditCheckpoint"'
        || ',"prev_hash":"' || v_head_hash || '"'
        || ',"subject_id":""}';
    v_hash := encode(sha256(convert_to(v_canonical, 'UTF8')), 'hex');
    INSERT INTO privacy_auditentry (
        id, created_at, actor_id, actor_role, action, object_type, object_id,
        subject_id, ip_prefix, metadata, prev_hash, hash
    ) VALUES (
        v_id, v_now, coalesce(p_actor_id, ''), p_actor_role, 'audit.purge',
        'privacy.AuditCheckpoint', v_checkpoint::text, '', '',
        jsonb_build_object('removed', v_removed, 'through_id', v_through), v_head_hash, v_hash
    );
    UPDATE privacy_auditchainhead SET last_id = v_id, last_hash = v_hash WHERE id = 1;
    RETURN QUERY SELECT v_removed, v_through, v_checkpoint;
END;
$$;

-- Whoever was granted more than appending and reading loses it.
DO $$
DECLARE acl record;
BEGIN
    FOR acl IN
        SELECT DISTINCT c.relname, a.grantee FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid IN ('privacy_auditentry'::regclass, 'privacy_auditcheckpoint'::regclass,
                        'privacy_auditchainhead'::regclass)
          AND a.grantee <> c.relowner
          AND a.privilege_type IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE')
    LOOP
        EXECUTE format(
            'REVOKE %s ON %I FROM %s',
            CASE acl.relname
                WHEN 'privacy_auditchainhead' THEN 'DELETE, TRUNCATE'
                -- Only the purge function writes checkpoints.
                WHEN 'privacy_auditcheckpoint' THEN 'INSERT, UPDATE, DELETE, TRUNCATE'
                ELSE 'UPDATE, DELETE, TRUNCATE' END,
            acl.relname,
            CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE acl.grantee::regrole::text END
        );
    END LOOP;
END;
$$;
"""

UNGUARD = """
DROP FUNCTION IF EXISTS privacy_audit_purge(timestamptz, text, text);
DROP TRIGGER IF EXISTS privacy_auditchainhead_forward ON privacy_auditchainhead;
DROP FUNCTION IF EXISTS privacy_audit_head_forward();
DROP TRIGGER IF EXISTS privacy_auditchainhead_no_truncate ON privacy_auditchainhead;
DROP TRIGGER IF EXISTS privacy_auditcheckpoint_no_truncate ON privacy_auditcheckpoint;
DROP TRIGGER IF EXISTS privacy_auditentry_no_truncate ON privacy_auditentry;
DROP FUNCTION IF EXISTS privacy_audit_refuse_truncate();
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
DROP FUNCTION IF EXISTS privacy_audit_is_owner(regclass);
"""

# Also run by `manage.py install_audit_drop_guard` (as a superuser) when migrations were not.
DROP_GUARD = """
CREATE OR REPLACE FUNCTION privacy_audit_refuse_drop() RETURNS event_trigger AS $$
DECLARE dropped record;
BEGIN
    IF current_setting('privacy.audit_ddl', true) = 'on' THEN
        RETURN;
    END IF;
    FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects() LOOP
        IF dropped.object_identity LIKE '%privacy_audit%' THEN
            RAISE EXCEPTION 'the audit log is not dropped: % refused', dropped.object_identity
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
END;
$$ LANGUAGE plpgsql;
DROP EVENT TRIGGER IF EXISTS privacy_audit_refuse_drop;
CREATE EVENT TRIGGER privacy_audit_refuse_drop ON sql_drop
    EXECUTE FUNCTION privacy_audit_refuse_drop();
"""

UNDROP_GUARD = """
DROP EVENT TRIGGER IF EXISTS privacy_audit_refuse_drop;
DROP FUNCTION IF EXISTS privacy_audit_refuse_drop();
"""


def _is_superuser(schema_editor) -> bool:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_schema())")
        schema = cursor.fetchone()[0]
    schema_editor.execute(GUARD.replace("{schema}", schema), params=None)
    if _is_superuser(schema_editor):
        schema_editor.execute(DROP_GUARD, params=None)
    else:
        logger.warning(
            "Audit log: the DROP guard (an event trigger) needs a superuser and was not "
            "installed. Run `manage.py install_audit_drop_guard` once as a superuser "
            "(docs/deployment.md). Everything else is in place."
        )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("SET LOCAL privacy.audit_ddl = 'on'", params=None)
    if _is_superuser(schema_editor):
        schema_editor.execute(UNDROP_GUARD, params=None)
    schema_editor.execute(UNGUARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0012_key_rotation_status")]

    operations = [migrations.RunPython(install, uninstall)]
