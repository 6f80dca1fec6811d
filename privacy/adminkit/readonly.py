"""Admin for records nobody edits by hand (logs, proofs, insurer data)."""


class ReadOnlyAdminMixin:
    """Viewable by roles holding the view permission; never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
