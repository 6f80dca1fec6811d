"""Registers the law requires: disclosures, processors, incidents, the person in charge."""
