"""What other apps may use of the audit log: record an action in the same transaction."""

from privacy.audit.chain import audit_record

__all__ = ["audit_record"]
