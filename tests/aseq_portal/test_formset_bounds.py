"""Every formset has a hard maximum: a small post can never make a big page.

A formset builds as many forms as its management data claims, up to ``absolute_max``
(Django's default: ``max_num + 1000``). Posting ``items-TOTAL_FORMS=1000`` (300 bytes)
once made the correction page build and render 1,010 forms (19.8 MB in 12 s). The
correction request now asks one item at a time into a bounded draft; the admin
inlines keep their hard maximum.
"""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory

from privacy.requests import correction_views
from tests.factories import DependantFactory, MemberFactory, StaffFactory, staff_admin_ready
from tests.privacy.test_requests_views import CORRECTION, sign_in

pytestmark = pytest.mark.django_db

# The most forms any formset of ours may build from one post.
HARD_MAX = 100
# A page answering hostile management data stays small.
SMALL_PAGE = 60_000
OUR_APPS = ("aseq_portal", "members", "coverage", "privacy")


def superuser():
    return staff_admin_ready(StaffFactory(is_superuser=True))


def test_a_correction_request_names_at_most_ten_items():
    assert correction_views.DRAFT_MAX == 10


def admin_inlines(request):
    return [
        (model_admin, inline)
        for model_admin in admin.site._registry.values()
        for inline in model_admin.get_inline_instances(request)
    ]


def test_every_admin_inline_has_a_hard_maximum_or_takes_no_post():
    """Bounded, or under an admin nobody may change (a post is refused before any formset)."""
    request = RequestFactory().get("/admin/")
    request.user = superuser()
    inlines = admin_inlines(request)
    assert len(inlines) >= 4
    for model_admin, inline in inlines:
        formset = inline.get_formset(request)
        if model_admin.has_change_permission(request) or model_admin.has_add_permission(request):
            assert formset.absolute_max <= HARD_MAX, type(inline).__name__
            assert formset.max_num <= formset.absolute_max
        else:
            assert not inline.has_add_permission(request, None), type(inline).__name__


def test_a_post_to_a_read_only_admin_with_inlines_is_refused(client):
    from privacy.models import RetentionRun

    client.force_login(superuser())
    run = RetentionRun.objects.create(dry_run=True, batch_size=10)
    response = client.post(
        f"/admin/privacy/retentionrun/{run.pk}/change/",
        {"lines-TOTAL_FORMS": "100000", "lines-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    assert len(response.content) < SMALL_PAGE


def test_no_formset_factory_of_ours_leaves_out_its_hard_maximum():
    """A new formset_factory call must say its absolute_max (Django's default is +1000)."""
    calls = []
    for app in OUR_APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for match in re.finditer(r"formset_factory\((.*?)\n\)", source, flags=re.S):
                calls.append((path.name, match.group(1)))
    for name, arguments in calls:
        assert "absolute_max=" in arguments, name


@pytest.mark.parametrize("total", ["1000", "11", "-5", "abc", "", "1e9", "99999999999999999999"])
def test_old_formset_management_data_on_the_correction_page_makes_no_big_page(
    client, member, total
):
    sign_in(client, member)
    started = time.monotonic()
    response = client.post(
        CORRECTION, {"items-TOTAL_FORMS": total, "items-INITIAL_FORMS": "0", "details": "x"}
    )
    elapsed = time.monotonic() - started
    assert response.status_code in (200, 302, 400)
    assert len(response.content) < SMALL_PAGE
    assert elapsed < 2
    assert "TOTAL_FORMS" not in response.content.decode()


@pytest.mark.parametrize("total", ["1000", "5000"])
def test_a_huge_inline_count_in_the_member_admin_builds_a_bounded_page(client, total):
    client.force_login(superuser())
    record = MemberFactory()
    DependantFactory(member=record)
    page = client.get(f"/admin/members/member/{record.pk}/change/").content.decode()
    data = {
        name: value
        for name, value in re.findall(
            r'<input type="(?:text|email|hidden)" name="([^"]+)" value="([^"]*)"', page
        )
        if name != "csrfmiddlewaretoken"
    }
    data.update({"dependants-TOTAL_FORMS": total, "dependants-INITIAL_FORMS": "1"})
    response = client.post(f"/admin/members/member/{record.pk}/change/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('name="dependants-') < HARD_MAX * 10
    assert len(response.content) < 1_000_000
    assert "au plus" in body  # "Veuillez soumettre au plus 100 formulaires."


def test_a_huge_inline_count_in_the_plan_admin_builds_a_bounded_page(client, plan):
    client.force_login(superuser())
    url = f"/admin/coverage/plan/{plan.pk}/change/"
    response = client.post(
        url,
        {
            "categories-TOTAL_FORMS": "1000",
            "categories-INITIAL_FORMS": "0",
            "combined_maxima-TOTAL_FORMS": "1000",
            "combined_maxima-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert len(response.content) < 1_000_000
