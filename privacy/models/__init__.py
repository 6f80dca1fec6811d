"""privacy's models, one module per concept; each is imported here."""

from .audit import AuditChainHead as AuditChainHead
from .audit import AuditCheckpoint as AuditCheckpoint
from .audit import AuditEntry as AuditEntry
from .base import PrivateModel
from .person_in_charge import PersonInCharge as PersonInCharge
from .registers import ConfidentialityIncident as ConfidentialityIncident
from .registers import Disclosure as Disclosure
from .registers import Processor as Processor
from .staff import StaffDocument as StaffDocument
from .staff import StaffDocumentAcceptance as StaffDocumentAcceptance

__all__ = ["PrivateModel"]
