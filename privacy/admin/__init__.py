"""privacy's admin, one module per concept; each is imported here."""

from . import retention  # noqa: F401
