"""privacy's models, one module per concept; each is imported here."""

from . import requests  # noqa: F401  (privacy-rights requests)
from .audit import AuditChainHead as AuditChainHead
from .audit import AuditCheckpoint as AuditCheckpoint
from .audit import AuditEntry as AuditEntry
from .base import PrivateManager, PrivateModel, PrivateQuerySet
from .consent import ConsentRecord, ConsentSource, PageCount
from .datamap import DataMapInventory
from .policy import PolicyAcknowledgement, PolicyKind, PolicyVersion

__all__ = [
    "ConsentRecord",
    "ConsentSource",
    "DataMapInventory",
    "PageCount",
    "PolicyAcknowledgement",
    "PolicyKind",
    "PolicyVersion",
    "PrivateManager",
    "PrivateModel",
    "PrivateQuerySet",
]
