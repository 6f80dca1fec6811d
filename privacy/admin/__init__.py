"""privacy's admin, one module per concept; each is imported here."""

from . import consent  # noqa: F401
