"""privacy's models, one module per concept; each is imported here."""

from .audit import AuditChainHead, AuditCheckpoint, AuditEntry
from .base import PrivateManager, PrivateModel, PrivateQuerySet
from .consent import ConsentRecord, ConsentSource, PageCount
from .datamap import DataMapInventory
from .person_in_charge import PersonInCharge
from .policy import PolicyAcknowledgement, PolicyKind, PolicyVersion
from .registers import ConfidentialityIncident, Disclosure, Processor
from .staff import StaffDocument, StaffDocumentAcceptance

__all__ = [
    "AuditChainHead",
    "AuditCheckpoint",
    "AuditEntry",
    "ConfidentialityIncident",
    "ConsentRecord",
    "ConsentSource",
    "DataMapInventory",
    "Disclosure",
    "PageCount",
    "PersonInCharge",
    "PolicyAcknowledgement",
    "PolicyKind",
    "PolicyVersion",
    "PrivateManager",
    "PrivateModel",
    "PrivateQuerySet",
    "Processor",
    "StaffDocument",
    "StaffDocumentAcceptance",
]
