"""privacy's admin registrations: each concern registers its own; admin autodiscovery imports
this module, which imports them, with the dashboard panels (privacy.adminkit.dashboard) and
the people directory entries (privacy.adminkit.people) they contribute."""

from privacy.audit import admin as audit_admin  # noqa: F401
from privacy.consent import admin as consent_admin  # noqa: F401
from privacy.registers import admin as registers_admin  # noqa: F401
from privacy.registers import dashboard as registers_dashboard  # noqa: F401
from privacy.requests import admin as requests_admin  # noqa: F401
from privacy.requests import dashboard as requests_dashboard  # noqa: F401
from privacy.requests import people as requests_people  # noqa: F401
from privacy.retention import admin as retention_admin  # noqa: F401
from privacy.retention import dashboard as retention_dashboard  # noqa: F401
from privacy.retention import inventory_admin  # noqa: F401
from privacy.rotation import admin as rotation_admin  # noqa: F401
from privacy.rotation import dashboard as rotation_dashboard  # noqa: F401
from privacy.staff import admin as staff_admin  # noqa: F401
from privacy.staff import dashboard as staff_dashboard  # noqa: F401
