"""What privacy/ itself holds about people, declared to the data map.

Each concern declares its own models next to them (``<concern>/personal_data.py``);
``PrivacyConfig.ready()`` imports this module, which imports them.
"""

from privacy.audit import personal_data as audit_personal_data  # noqa: F401
from privacy.consent import personal_data as consent_personal_data  # noqa: F401
from privacy.datamap import personal_data as datamap_personal_data  # noqa: F401
from privacy.registers import personal_data as registers_personal_data  # noqa: F401
from privacy.requests import personal_data as requests_personal_data  # noqa: F401
from privacy.retention import personal_data as retention_personal_data  # noqa: F401
from privacy.rotation import personal_data as rotation_personal_data  # noqa: F401
from privacy.staff import personal_data as staff_personal_data  # noqa: F401
