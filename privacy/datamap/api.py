"""How an app declares the personal data its models hold (from its ``personal_data.py``)."""

from privacy.datamap.registry import Action, Category, PersonalField, Purpose, Retention, declare

__all__ = ["Action", "Category", "PersonalField", "Purpose", "Retention", "declare"]
