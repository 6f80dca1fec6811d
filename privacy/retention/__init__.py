"""Retention: rules from the data map, the purge engine, legal holds, the ledger.

Other code imports ``privacy.retention.api``."""
