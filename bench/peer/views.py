"""The peer's views: the page as a team would usually write it, and the two yardsticks."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation

from .models import Claim


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_signed_in(request):
    request.user.member  # noqa: B018 - the member record, as every page of the peer reads it
    return HttpResponse("ok", content_type="text/plain")


@login_required
def coverage(request):
    member = request.user.member
    plan = member.plan
    benefits = list(plan.benefits.order_by("position"))
    dependants = list(member.dependants.order_by("first_name"))
    used = {
        (row["dependant_id"], row["benefit_id"]): row["total"]
        for row in Claim.objects.filter(
            member=member, service_date__range=(plan.starts_on, plan.ends_on)
        )
        .values("dependant_id", "benefit_id")
        .annotate(total=Sum("amount_paid"))
    }
    language = translation.get_language()
    persons = []
    for person_id, name in [(None, member.full_name)] + [(d.id, d.full_name) for d in dependants]:
        rows = []
        for benefit in benefits:
            spent = used.get((person_id, benefit.id), Decimal("0"))
            rows.append(
                {
                    "name": benefit.name(language),
                    "used": spent,
                    "left": max(Decimal("0"), benefit.yearly_max - spent),
                    "yearly_max": benefit.yearly_max,
                }
            )
        persons.append({"name": name, "rows": rows})
    context = {"member": member, "plan": plan, "persons": persons, "dependants": dependants}
    return render(request, "peer/coverage.html", context)
