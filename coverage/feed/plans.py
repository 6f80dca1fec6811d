"""Plans and their benefits: the published plan summaries."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from members.models import Association

from ..models import (
    Benefit,
    BenefitCategory,
    CombinedMaximum,
    Part,
    Plan,
)
from .base import Kind, Row, _set


class PlanKind(Kind):
    name = "plans"
    columns = (
        "association",
        "association_short_code",
        "association_name_fr",
        "association_name_en",
        "policy_year",
        "name_fr",
        "name_en",
        "health_window_start",
        "health_window_end",
        "dental_window_start",
        "dental_window_end",
        "proof_required",
        "family_allowed",
    )

    def parse(self, row: Row) -> dict[str, Any]:
        values = {
            "association": row.text("association", max_length=60),
            "short_code": row.text("association_short_code", max_length=20),
            "association_name_fr": row.name("association_name_fr", max_length=200),
            "association_name_en": row.name("association_name_en", max_length=200),
            "policy_year": row.integer("policy_year", low=2000, high=2100),
            "name_fr": row.name("name_fr", max_length=200),
            "name_en": row.name("name_en", max_length=200),
            "proof_required": row.boolean("proof_required"),
            "family_allowed": row.boolean("family_allowed"),
        }
        for part in ("health", "dental"):
            start = row.date(f"{part}_window_start")
            end = row.date(f"{part}_window_end")
            if start and end and start > end:
                row.problems.append(
                    _("la période %(part)s se termine avant de commencer") % {"part": part}
                )
            values[f"{part}_window_start"], values[f"{part}_window_end"] = start, end
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        for parsed in chunk:
            v = dict(parsed.values)
            slug = v.pop("association")
            association_values = {
                "short_code": v.pop("short_code"),
                "name_fr": v.pop("association_name_fr"),
                "name_en": v.pop("association_name_en"),
            }
            association = self.association(slug)
            plan = (
                Plan.objects.filter(association=association, policy_year=v["policy_year"]).first()
                if association
                else None
            )
            changed = bool(association is None or _set(association, association_values))
            if plan is None:
                report.created += 1
                if write:
                    if association is None:
                        association = Association(slug=slug, **association_values)
                    association.save()
                    self.associations[slug] = association
                    Plan.objects.create(association=association, **v)
                continue
            changed |= bool(_set(plan, v))
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            if write:
                association.save()
                plan.save()


class BenefitKind(Kind):
    name = "benefits"
    columns = (
        "association",
        "policy_year",
        "category",
        "category_part",
        "category_name_fr",
        "category_name_en",
        "benefit",
        "name_fr",
        "name_en",
        "keywords_fr",
        "keywords_en",
        "percent",
        "per_visit_max",
        "yearly_max",
        "combined",
        "combined_name_fr",
        "combined_name_en",
        "combined_yearly_max",
        "combined_shared_by_family",
        "frequency_months",
        "frequency_max",
        "network_percent",
        "shared_by_family",
    )

    def parse(self, row: Row) -> dict[str, Any]:
        values = {
            "association": row.text("association", max_length=60),
            "policy_year": row.integer("policy_year", low=2000, high=2100),
            "category": row.text("category", max_length=50),
            "category_part": row.choice("category_part", Part.values),
            "category_name_fr": row.text("category_name_fr"),
            "category_name_en": row.text("category_name_en"),
            "benefit": row.text("benefit", max_length=50),
            "name_fr": row.name("name_fr", max_length=200),
            "name_en": row.name("name_en", max_length=200),
            "keywords_fr": row.text("keywords_fr", required=False, max_length=300),
            "keywords_en": row.text("keywords_en", required=False, max_length=300),
            "percent": row.percent("percent"),
            "per_visit_max_cents": row.cents("per_visit_max"),
            "yearly_max_cents": row.cents("yearly_max"),
            "combined": row.text("combined", required=False, max_length=50),
            "combined_name_fr": row.raw("combined_name_fr"),
            "combined_name_en": row.raw("combined_name_en"),
            "combined_yearly_max_cents": row.cents("combined_yearly_max"),
            "combined_shared_by_family": row.boolean("combined_shared_by_family"),
            "frequency_months": row.integer("frequency_months", required=False, low=1, high=120),
            "frequency_max_cents": row.cents("frequency_max"),
            "network_percent": row.percent("network_percent", required=False),
            "shared_by_family": row.boolean("shared_by_family"),
        }
        if values["combined"] and not (
            values["combined_name_fr"]
            and values["combined_name_en"]
            and values["combined_yearly_max_cents"] is not None
        ):
            row.problems.append(
                _("un maximum combiné a besoin de ses noms et de son montant annuel")
            )
        if (values["frequency_months"] is None) != (values["frequency_max_cents"] is None):
            row.problems.append(
                _("frequency_months et frequency_max vont ensemble : les deux ou aucun")
            )
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        for parsed in chunk:
            v = parsed.values
            plan = self.plan(v["association"], v["policy_year"])
            if plan is None:
                report.invalid += 1
                report.error(
                    parsed.line,
                    _("aucun régime %(year)s pour l’association « %(slug)s »")
                    % {"year": v["policy_year"], "slug": v["association"]},
                )
                continue
            category = BenefitCategory.objects.filter(plan=plan, key=v["category"]).first()
            category_values = {
                "part": v["category_part"],
                "name_fr": v["category_name_fr"],
                "name_en": v["category_name_en"],
            }
            combined = None
            combined_values = {}
            if v["combined"]:
                combined = CombinedMaximum.objects.filter(plan=plan, key=v["combined"]).first()
                combined_values = {
                    "name_fr": v["combined_name_fr"],
                    "name_en": v["combined_name_en"],
                    "yearly_max_cents": v["combined_yearly_max_cents"],
                    "shared_by_family": v["combined_shared_by_family"],
                }
            benefit = plan.benefit_map.get(v["benefit"])
            benefit_values = {
                name: v[name]
                for name in (
                    "name_fr",
                    "name_en",
                    "keywords_fr",
                    "keywords_en",
                    "percent",
                    "per_visit_max_cents",
                    "yearly_max_cents",
                    "frequency_months",
                    "frequency_max_cents",
                    "network_percent",
                    "shared_by_family",
                )
            }
            changed = category is None or bool(_set(category, category_values))
            if v["combined"]:
                changed |= combined is None or bool(_set(combined, combined_values))
            if benefit is not None:
                changed |= bool(_set(benefit, benefit_values))
                changed |= benefit.category_id != (category.id if category else None)
                changed |= benefit.combined_id != (combined.id if combined else None)
            if benefit is not None and not changed:
                report.unchanged += 1
                continue
            if benefit is None:
                report.created += 1
            else:
                report.updated += 1
            if not write:
                continue
            if category is None:
                category = BenefitCategory(plan=plan, key=v["category"], **category_values)
            category.save()
            if v["combined"]:
                if combined is None:
                    combined = CombinedMaximum(plan=plan, key=v["combined"], **combined_values)
                combined.save()
            if benefit is None:
                benefit = Benefit(plan=plan, key=v["benefit"], **benefit_values)
                plan.benefit_map[benefit.key] = benefit
            benefit.category = category
            benefit.combined = combined
            benefit.save()
