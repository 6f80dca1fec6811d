"""What other apps may use of the registers: the demo data's processors."""

from privacy.registers.services import demo_processors_seed

__all__ = ["demo_processors_seed"]
