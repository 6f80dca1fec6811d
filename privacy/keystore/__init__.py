"""The key store: one data key per person, wrapped, in a database apart from the data.

Personal values of the rows the data map attaches to a member's record are sealed
under that record's data key (v2 tokens, ``privacy.kernel.envelope``). The data keys
live wrapped under the master keyring in their own database (alias ``keystore``,
``router.KeystoreRouter``), backed up apart with a short retention. Destroying a
person's keys is what makes their deletion reach every backup of the main database.
"""
