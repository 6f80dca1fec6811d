"""privacy's admin, one module per concept; each is imported here."""
