"""What other apps may use of staff governance: admin mixins that mask, audit and encrypt,
the role names and ``grant()`` for their own models, what staff saw of a member, and the
dashboard registry (``dashboard_panel()``) for their panels on the admin index, and
``people_directory()`` to name accounts and find them by number."""

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.adminkit.big_lists import BigListMixin, ExactSearchMixin
from privacy.adminkit.dashboard import Figure, Panel, dashboard_panel, dashboard_panels
from privacy.adminkit.encrypted_admin import BlindIndexSearchMixin, EncryptedModelAdmin
from privacy.adminkit.masking import MaskedFieldsMixin
from privacy.adminkit.people import (
    AccountsByNameMixin,
    Person,
    account_label,
    people_directory,
)
from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.roles import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER, grant
from privacy.staff.selectors import StaffView, staff_views_of

__all__ = [
    "MEMBER_SERVICES",
    "OPERATOR",
    "PRIVACY_OFFICER",
    "AccountsByNameMixin",
    "BigListMixin",
    "BlindIndexSearchMixin",
    "EncryptedModelAdmin",
    "ExactSearchMixin",
    "Figure",
    "MaskedFieldsMixin",
    "Panel",
    "Person",
    "ReadOnlyAdminMixin",
    "StaffAccessAuditMixin",
    "StaffView",
    "account_label",
    "dashboard_panel",
    "dashboard_panels",
    "grant",
    "people_directory",
    "staff_views_of",
]
