from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/bare/", views.bare),
    path("bench/bare/signed-in/", views.bare_signed_in),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("compte/", include("allauth.urls")),
    path("couverture/", views.coverage, name="coverage"),
)
