"""Retention: rules from the data map, the purge engine, legal holds.

Public API:
- ``retention_rules()``, ``retention_rule_for(label)``: the effective rules.
- ``retention_purge(*, started_by, dry_run, model_label, batch_size, ...)`` and
  ``retention_purge_resume(*, run_id, ...)``: the purge, returning its ledger run.
- ``legal_hold_place(...)``, ``legal_hold_release(...)``, ``legal_holds_active(...)``.
"""

from privacy.retention.engine import (
    RetentionPurgeBusy,
    RetentionPurgeError,
    retention_purge,
    retention_purge_resume,
)
from privacy.retention.holds import LegalHoldError, legal_hold_place, legal_hold_release
from privacy.retention.rules import RetentionRule, retention_rule_for, retention_rules
from privacy.retention.selectors import legal_holds_active

__all__ = [
    "LegalHoldError",
    "RetentionPurgeBusy",
    "RetentionPurgeError",
    "RetentionRule",
    "legal_hold_place",
    "legal_hold_release",
    "legal_holds_active",
    "retention_purge",
    "retention_purge_resume",
    "retention_rule_for",
    "retention_rules",
]
