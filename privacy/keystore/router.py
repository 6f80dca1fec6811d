"""Routes the data keys to their own database (alias ``keystore``), everything else away from it."""

KEYSTORE = "keystore"
_LABEL = "privacy.DataKey"


class KeystoreRouter:
    def db_for_read(self, model, **hints):
        return KEYSTORE if model._meta.label == _LABEL else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        if _LABEL in (obj1._meta.label, obj2._meta.label):
            return obj1._meta.label == obj2._meta.label
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        is_key = app_label == "privacy" and model_name == "datakey"
        if db == KEYSTORE:
            # Only the key table; no data migration (RunPython, RunSQL) runs there.
            return is_key
        return False if is_key else None
