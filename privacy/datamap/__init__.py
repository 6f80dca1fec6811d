"""The data map: every model holding personal data, declared once, read by every feature.

Apps declare through ``privacy.datamap.api``; privacy's own code reads ``registry``.
"""
