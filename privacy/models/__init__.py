"""privacy's models, one module per concept; each is imported here."""

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
