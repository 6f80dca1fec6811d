"""Masking in admin lists: sensitive values show as "••••1234"; revealing one
is a deliberate click (a confirmation, then a POST) that writes an audit entry
and shows the value once."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext as _

from privacy.audit import chain as audit

MASK = "••••"


def mask_value(value, *, keep_last: int = 4) -> str:
    """ "••••" plus the last characters of long values; "—" when there is none."""
    if value is None or value == "":
        return "—"
    text = str(value)
    if keep_last and len(text) >= 2 * keep_last:
        return MASK + text[-keep_last:]
    return MASK


if TYPE_CHECKING:  # the mixin's attributes are the ModelAdmin's
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class MaskedFieldsMixin(_AdminBase):
    """Add to a ModelAdmin; name the fields in ``masked_fields``.

    Those columns of the change list are masked; each has a "reveal" link to a
    confirmation page whose POST logs ``admin.reveal`` and shows the value.
    ``masked_fields`` is a tuple of names (each keeps ``mask_keep_last``
    characters) or a {name: characters kept} dict; 0 hides a value entirely
    (e.g. a date of birth).
    """

    masked_fields: tuple[str, ...] | dict[str, int] = ()
    mask_keep_last: int = 4

    def _kept(self, name: str) -> int:
        if isinstance(self.masked_fields, dict):
            return self.masked_fields[name]
        return self.mask_keep_last

    def _field_label(self, name: str) -> str:
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name.replace("_", " ")

    def _masked_column(self, name: str):
        admin = self

        def column(obj):
            value = getattr(obj, name)
            masked = mask_value(value, keep_last=admin._kept(name))
            if value is None or value == "":
                return masked
            url = reverse(
                f"{admin.admin_site.name}:{admin.opts.app_label}_{admin.opts.model_name}_reveal",
                args=[obj.pk, name],
            )
            return format_html(
                '<span class="masked-value">{}</span> <a href="{}" aria-label="{}">{}</a>',
                masked,
                url,
                _("Révéler : %(field)s") % {"field": admin._field_label(name)},
                _("Révéler"),
            )

        column.short_description = self._field_label(name)  # type: ignore[attr-defined]  # the admin's column title
        column.__name__ = f"masked_{name}"
        return column

    def get_list_display(self, request):
        return [
            self._masked_column(name) if name in self.masked_fields else name
            for name in super().get_list_display(request)
        ]

    def get_list_display_links(self, request, list_display):
        # A masked cell holds its own "reveal" link: never wrap it in the change link.
        links = super().get_list_display_links(request, list_display)
        if links and getattr(links[0], "__name__", "").startswith("masked_"):
            plain = [
                item
                for item in list_display
                if not getattr(item, "__name__", "").startswith("masked_")
                and item != "action_checkbox"
            ]
            return plain[:1] or None
        return links

    def get_urls(self):
        return [
            path(
                "<path:object_id>/reveal/<str:field_name>/",
                self.admin_site.admin_view(self.reveal_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_reveal",
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id, field_name):
        if field_name not in self.masked_fields:
            raise Http404
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "POST"):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "field_label": self._field_label(field_name),
            "title": _("Révéler une valeur masquée"),
            "revealed": False,
        }
        if request.method == "POST":
            with transaction.atomic():
                audit.audit_record(
                    action=audit.ADMIN_REVEAL,
                    obj=obj,
                    request=request,
                    metadata={"field": field_name},
                )
            value = getattr(obj, field_name)
            context.update(revealed=True, value="—" if value in (None, "") else localize(value))
        return TemplateResponse(request, "admin/privacy/reveal.html", context)
