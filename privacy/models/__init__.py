"""privacy's models, one module per concept; each is imported here."""

from .base import PrivateModel
from .consent import ConsentRecord, ConsentSource, PageCount
from .policy import PolicyAcknowledgement, PolicyKind, PolicyVersion

__all__ = [
    "ConsentRecord",
    "ConsentSource",
    "PageCount",
    "PolicyAcknowledgement",
    "PolicyKind",
    "PolicyVersion",
    "PrivateModel",
]
