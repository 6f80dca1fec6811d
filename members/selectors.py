"""Every read of the members app; each is scoped to the member asking."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.consent.api import policy_current_versions_annotations
from privacy.requests.api import privacy_request_activity

from .app_settings import app_settings
from .geo import bounding_box, distance_km
from .models import ActivityEvent, Association, Dependant, Member, MemberLocation, Provider, User


@dataclass(frozen=True)
class _CompiledRead:
    """A queryset compiled once: its SQL, converters and how to build its objects."""

    sql: str
    params: list
    user_id_position: int
    compiler: object
    converters: dict
    fields: slice
    init_list: list[str]
    populators: list
    annotations: dict[str, int]


@functools.cache
def _user_read(alias: str) -> _CompiledRead:
    # Compiled with a stand-in pk; only the parameter changes from one request to the next.
    queryset = (
        User._default_manager.using(alias)
        .select_related("member__association")
        .annotate(**policy_current_versions_annotations())
    )
    stand_in = User._meta.pk.get_default()
    compiler = queryset.filter(pk=stand_in).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    stand_in = User._meta.pk.get_db_prep_value(stand_in, connections[alias])
    if list(params).count(stand_in) != 1:  # pragma: no cover - Django builds it this way
        raise RuntimeError("the account query changed shape")
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _CompiledRead(
        sql=sql,
        params=list(params),
        user_id_position=list(params).index(stand_in),
        compiler=compiler,
        converters=compiler.get_converters([column[0] for column in select]),
        fields=slice(start, end),
        init_list=[column[0].target.attname for column in select[start:end]],
        # django-stubs describe a later Django (a fourth, fetch_mode argument); 5.2 takes three.
        populators=get_related_populators(klass_info, select, alias),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map or {}),
    )


def _first_row(connection, sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def user_for_session(*, user_id) -> User | None:
    """The account ``user_id`` with its member record and association (one query), or None.

    The same statement reads the policy versions in force, so the policy notice of
    the signed-in pages needs no cache read (privacy.consent.selectors).

    Asked on every signed-in request, so the queryset is compiled once per process;
    the row is still read from the database every time. When it is the request's
    first statement on a persistent connection, it also serves as the health check
    Django would run before it (``SELECT 1``): a connection found broken is closed
    and the read runs once more on a new one, as after a failed check.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    read = _user_read(DEFAULT_DB_ALIAS)
    params = list(read.params)
    params[read.user_id_position] = User._meta.pk.get_db_prep_value(user_id, connection)
    check_pending = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if check_pending:
        connection.health_check_done = True
    try:
        row = _first_row(connection, read.sql, params)
    except (OperationalError, InterfaceError):
        if not check_pending or connection.is_usable():
            raise
        connection.close()
        row = _first_row(connection, read.sql, params)
    if row is None:
        return None
    if read.converters:
        row = next(iter(read.compiler.apply_converters([row], read.converters)))
    user = User.from_db(DEFAULT_DB_ALIAS, read.init_list, row[read.fields])
    for populator in read.populators:
        populator.populate(row, user)
    for attribute, position in read.annotations.items():
        setattr(user, attribute, row[position])
    return user


def member_for_user(*, user: User) -> Member | None:
    """The member record linked to this account, with its association, or None.

    Asked by more than one layer of a request, so a record found is kept where
    Django keeps a related object: on the user, which lives as long as the request
    (and which linking or unlinking the record updates). "None" is asked again: a
    claim may link a record during the request.
    """
    if not user.is_authenticated:
        return None
    relation = Member._meta.get_field("user").remote_field
    if relation.is_cached(user) and relation.get_cached_value(user) is not None:
        return relation.get_cached_value(user)
    member = Member.objects.select_related("association").filter(user=user).first()
    if member is not None:
        relation.set_cached_value(user, member)
        Member._meta.get_field("user").set_cached_value(member, user)
    return member


def dependants_of(*, member: Member) -> list[Dependant]:
    """The member's dependants by suffix (one query; each knows its member)."""
    return list(member.dependants.order_by("suffix"))


def dependant_of_member(*, member: Member, dependant_id) -> Dependant | None:
    """A dependant only if it belongs to this member: the IDOR guard."""
    return member.dependants.filter(pk=dependant_id).first()


def association_list() -> QuerySet[Association]:
    return Association.objects.order_by("name_fr")


def location_of(*, member: Member | None) -> MemberLocation | None:
    if member is None:
        return None
    return MemberLocation.objects.filter(member=member).first()


def update_recipients() -> QuerySet[Member]:
    """Members who may receive update and news messages: those who opted in (P11).

    Service messages go to every member and do not use this list.
    """
    return (
        Member.objects.filter(updates_opt_in=True, updates_opt_in_at__isnull=False)
        .select_related("user")
        .order_by("member_number")
    )


# --- Activity -----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityItem:
    """One line of the activity page, whichever app it comes from."""

    occurred_at: datetime
    label: str
    device_family: str = ""
    ip_network: str = ""
    details: tuple[str, ...] = ()


def _activity_events(*, user: User, since: datetime, limit: int) -> list[ActivityItem]:
    events = ActivityEvent.objects.filter(user=user, occurred_at__gte=since).order_by(
        "-occurred_at"
    )[:limit]
    field_labels = _field_labels()
    return [
        ActivityItem(
            occurred_at=event.occurred_at,
            label=event.get_kind_display(),
            device_family=event.get_device_family_display() if event.device_family else "",
            ip_network=event.ip_network or "",
            details=tuple(str(field_labels.get(name, name)) for name in event.changed_field_names),
        )
        for event in events
    ]


def _field_labels() -> dict[str, str]:
    """Field names as the member reads them (member and dependant fields)."""
    return {
        f.name: f.verbose_name
        for model in (Dependant, Member)
        for f in model._meta.concrete_fields
        if not f.is_relation
    }


def _privacy_request_events(*, user: User, since: datetime, limit: int) -> list[ActivityItem]:
    """Privacy requests the member sent and access exports they downloaded."""
    labels = {
        "submitted": _("Demande envoyée : %(kind)s (%(reference)s)"),
        "export_downloaded": _("Exportation téléchargée (%(reference)s)"),
    }
    return [
        ActivityItem(
            occurred_at=item.occurred_at,
            label=labels[item.event] % {"kind": item.kind_label, "reference": item.reference},
        )
        for item in privacy_request_activity(user=user, since=since, limit=limit)
    ]


# Every source of the member's own activity, each a callable
# (*, user, since, limit) -> list[ActivityItem]; merged by time.
ACTIVITY_SOURCES = [_activity_events, _privacy_request_events]


def activity_for(*, user: User, limit: int = 50) -> list[ActivityItem]:
    """The account's own recent activity, newest first, within the retention window."""
    since = timezone.now() - app_settings.ACTIVITY_RETENTION
    items = [
        item for source in ACTIVITY_SOURCES for item in source(user=user, since=since, limit=limit)
    ]
    return sorted(items, key=lambda item: item.occurred_at, reverse=True)[:limit]


# --- Providers ------------------------------------------------------------------


@dataclass(frozen=True)
class NearbyProvider:
    provider: Provider
    distance_km: float


def providers_near(
    *,
    centre: tuple[float, float],
    kind: str = "",
    radius_km: float | None = None,
    limit: int | None = None,
) -> list[NearbyProvider]:
    """Active providers within ``radius_km`` of ``centre``, nearest first."""
    radius_km = radius_km or app_settings.PROVIDER_SEARCH_RADIUS_KM
    limit = limit or app_settings.PROVIDER_RESULTS
    min_lat, max_lat, min_lon, max_lon = bounding_box(centre, radius_km)
    candidates = Provider.objects.filter(
        is_active=True,
        latitude__range=(min_lat, max_lat),
        longitude__range=(min_lon, max_lon),
    )
    if kind:
        candidates = candidates.filter(kind=kind)
    nearby = []
    for provider in candidates:
        distance = distance_km(centre, (float(provider.latitude), float(provider.longitude)))
        if distance <= radius_km:
            nearby.append(NearbyProvider(provider=provider, distance_km=round(distance, 1)))
    nearby.sort(key=lambda item: (item.distance_km, item.provider.name))
    return nearby[:limit]
