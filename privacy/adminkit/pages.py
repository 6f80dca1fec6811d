"""An admin page with no table behind it, opened by a view permission."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import path

from privacy.adminkit.readonly import ReadOnlyAdminMixin


class ReadOnlyPageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """One read-only admin page with no table behind it, opened by a view permission."""

    view_permission = ""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(self.view_permission)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def page_context(self, request: HttpRequest, extra_context=None, **context) -> dict:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.opts.verbose_name_plural,
            **context,
            **(extra_context or {}),
        }
