"""A tests-only app (installed by aseq_portal.settings.test) proving the retention purge.

Its models stand in for the members and coverage models to come: one deleted,
one anonymised, a parent whose children follow their own rule, an undeclared
child that goes with its parent, and a model that reaches no account.
"""
