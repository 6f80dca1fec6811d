"""The retention ledger and legal holds, declared to the data map."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import Category, PersonalField, Purpose, Retention, declare
from privacy.retention.models import AnonymisationRecord, LegalHold, RetentionRun, RetentionRunLine

# The ledger is proof of destruction: counts and windows, never a destroyed value.
declare(
    RetentionRun,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "started",
        "finished",
        "started_by",
        "dry_run",
        "status",
        "model_label",
        "batch_size",
    ],
    exported=False,
    description=_("Les purges de conservation : preuve de destruction."),
    notes=_("« lancée par » désigne la planification, la commande ou un membre du personnel."),
)
declare(
    RetentionRunLine,
    subject=None,
    personal=[],
    not_personal=[
        "id",
        "run",
        "model_label",
        "action",
        "starts_from",
        "window",
        "cutoff",
        "count",
        "held",
        "blocked",
        "deferred",
        "cascaded",
        "keys_destroyed",
        "finished",
    ],
    exported=False,
    description=_("Par purge et par modèle : nombres de lignes et délai appliqué."),
)
declare(
    AnonymisationRecord,
    subject=None,
    personal=[],
    not_personal=["id", "line", "performed", "purpose", "method", "fields"],
    exported=False,
    description=_("Registre des anonymisations : fins, date et méthode."),
)
declare(
    LegalHold,
    subject="subject",
    description=_("Blocages légaux : conservation au-delà du délai pendant un recours."),
    personal=[
        PersonalField("subject", Category.IDENTITY, (Purpose.LEGAL,)),
        PersonalField("reason", Category.CORRESPONDENCE, (Purpose.LEGAL,)),
    ],
    not_personal=[
        "id",
        "kind",
        "starts",
        "ends",
        "released",
        "source_id",
        "placed_by",
        "released_by",
    ],
    retention=Retention(
        starts_from="ends",
        keep_for=timedelta(days=3 * 365),
        reason=_("Preuve qu’un blocage s’appliquait, le temps d’un éventuel recours."),
    ),
    holdable=False,
    notes=_(
        "« placé par » et « levé par » désignent le membre du personnel qui a agi, "
        "pas la personne visée."
    ),
)
