from django.urls import path
from django.utils.translation import gettext_lazy as _

from privacy.requests import views

urlpatterns = [
    path("", views.request_list, name="privacy_request_list"),
    path(_("nouvelle/acces/"), views.request_access, name="privacy_request_access"),
    path(_("nouvelle/rectification/"), views.request_correction, name="privacy_request_correction"),
    path(_("nouvelle/suppression/"), views.request_deletion, name="privacy_request_deletion"),
    path("<uuid:request_id>/", views.request_detail, name="privacy_request_detail"),
    path(_("<uuid:request_id>/repondre/"), views.request_reply, name="privacy_request_reply"),
    path(
        _("<uuid:request_id>/exportation/"),
        views.export_download,
        name="privacy_request_export_download",
    ),
]
