"""Published plans are cached; any change to a plan row shows on the next page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coverage import plan_cache, rules
from coverage.demo import plan_seed
from coverage.models import Benefit
from coverage.selectors import plan_benefits, plan_for

pytestmark = pytest.mark.django_db


def summary_url():
    with translation.override("fr"):
        return reverse("coverage_summary")


def plan_queries(context) -> list[str]:
    return [
        q["sql"]
        for q in context.captured_queries
        if 'FROM "coverage_plan"' in q["sql"] or 'FROM "coverage_benefit"' in q["sql"]
    ]


def test_the_second_summary_reads_no_plan_row(client, member, coverage_member):
    client.force_login(member)
    client.get(summary_url())
    with CaptureQueriesContext(connection) as context:
        assert client.get(summary_url()).status_code == 200
    assert plan_queries(context) == []


def test_a_renamed_benefit_shows_on_the_next_summary(client, member, coverage_member, plan):
    client.force_login(member)
    assert "Physiothérapie" in client.get(summary_url()).content.decode()
    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    benefit.name_fr = "Physiothérapie et réadaptation"
    benefit.save()
    assert "Physiothérapie et réadaptation" in client.get(summary_url()).content.decode()


def test_a_plan_published_after_a_miss_is_found_at_once(association):
    today = timezone.localdate()
    assert plan_for(association_id=association.id, on=today) is None
    plan = plan_seed(association=association, policy_year=rules.policy_year_of(today))
    assert plan_for(association_id=association.id, on=today) == plan


def test_a_new_window_shows_at_once(plan):
    today = timezone.localdate()
    cached = plan_for(association_id=plan.association_id, on=today)
    plan.health_window_end = plan.health_window_start + timedelta(days=1)
    plan.save()
    assert cached.health_window_end != plan.health_window_end
    assert plan_for(association_id=plan.association_id, on=today).health_window_end == (
        plan.health_window_end
    )


def test_a_deleted_benefit_leaves_the_cached_list(plan):
    assert any(b.key == "massage" for b in plan_benefits(plan=plan))
    Benefit.objects.get(plan=plan, key="massage").delete()
    assert not any(b.key == "massage" for b in plan_benefits(plan=plan))


def test_the_generation_changes_again_when_the_change_commits(
    plan, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    plan_for(association_id=plan.association_id, on=timezone.localdate())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan.save()
        at_save = cache.get(plan_cache.GENERATION_KEY)
    assert len(callbacks) == 1
    callbacks[0]()
    assert cache.get(plan_cache.GENERATION_KEY) != at_save
