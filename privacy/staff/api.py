"""What other apps may use of staff governance: admin mixins that mask, audit and encrypt,
the role names and ``grant()`` for their own models, and what staff saw of a member."""

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.adminkit.encrypted_admin import BlindIndexSearchMixin, EncryptedModelAdmin
from privacy.adminkit.masking import MaskedFieldsMixin
from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.roles import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER, grant
from privacy.staff.selectors import StaffView, staff_views_of

__all__ = [
    "MEMBER_SERVICES",
    "OPERATOR",
    "PRIVACY_OFFICER",
    "BlindIndexSearchMixin",
    "EncryptedModelAdmin",
    "MaskedFieldsMixin",
    "ReadOnlyAdminMixin",
    "StaffAccessAuditMixin",
    "StaffView",
    "grant",
    "staff_views_of",
]
