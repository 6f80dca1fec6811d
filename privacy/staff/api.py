"""What other apps may use of staff governance: admin mixins that mask, audit and encrypt,
the role names and ``grant()`` for their own models, and what staff saw of a member."""

from privacy.roles import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER, grant
from privacy.staff.audited import StaffAccessAuditMixin
from privacy.staff.encrypted_admin import BlindIndexSearchMixin, EncryptedModelAdmin
from privacy.staff.masking import MaskedFieldsMixin
from privacy.staff.readonly import ReadOnlyAdminMixin
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
