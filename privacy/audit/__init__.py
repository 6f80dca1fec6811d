"""The audit log: append-only, hash-chained, checkpointed when old entries are purged.

Other apps record through ``privacy.audit.api``.
"""
