"""privacy's admin registrations: each concern registers its own; admin autodiscovery imports
this module, which imports them."""

from privacy.audit import admin as audit_admin  # noqa: F401
from privacy.consent import admin as consent_admin  # noqa: F401
from privacy.registers import admin as registers_admin  # noqa: F401
from privacy.requests import admin as requests_admin  # noqa: F401
from privacy.retention import admin as retention_admin  # noqa: F401
from privacy.retention import inventory_admin  # noqa: F401
from privacy.rotation import admin as rotation_admin  # noqa: F401
from privacy.staff import admin as staff_admin  # noqa: F401
