"""Reads of one resource's pages: the resource page, its history, the team's review queue."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext

from competences.models import FrameworkVersion
from core.diff import compared_numbers
from toolbox import services
from toolbox.enums import LICENCE_SHORT, LICENCE_URLS, Audience, LinkKind, ResourceStatus
from toolbox.fields import HISTORY_FIELDS, KINDS
from toolbox.follows import follow_button
from toolbox.models import (
    Resource,
    ResourceComment,
    ResourceCommentReport,
    ResourceRevision,
    ResourceUse,
    ToolboxFollow,
    UsefulMark,
)
from toolbox.services import resource_url

LONG_FIELDS = {
    "description",
    "purpose",
    "materials",
    "steps",
    "context",
    "actions",
    "results",
    "pitfalls",
    "use_purpose",
    "data_flows",
    "human_part",
    "vigilance",
}
URL_NAMES = {
    LinkKind.MISSION: "referentiel:mission",
    LinkKind.ACTIVITY: "referentiel:activity",
    LinkKind.COMPETENCE: "referentiel:competence",
}


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: object
    is_long: bool = False
    is_url: bool = False


@dataclass(frozen=True)
class LinkRow:
    code: str
    title: str
    kind_label: str
    url: str  # empty when the current version no longer has the code


def _label(name: str) -> str:
    return str(Resource._meta.get_field(name).verbose_name).capitalize()


def kind_rows(resource: Resource) -> list[FieldRow]:
    """The kind's own fields that hold something, in the order of its declaration."""
    rows = []
    spec = KINDS[resource.kind]
    names = list(spec.fields)
    if "group_min" in names:  # one line for the group size
        names.remove("group_max")
    for name in names:
        if name == "group_min":
            low, high = resource.group_min, resource.group_max
            if low is None and high is None:
                continue
            value = f"{low or '…'} – {high or '…'}" if low != high else str(low)
            rows.append(FieldRow(name, str(_group_label()), value))
            continue
        field = Resource._meta.get_field(name)
        value = getattr(resource, name)
        if name == "duration_minutes" and value:
            rows.append(FieldRow(name, gettext("Durée"), duration_text(value)))
            continue
        if name == "council":
            value = resource.council
        elif field.choices:
            value = getattr(resource, f"get_{name}_display")() if value else ""
        elif isinstance(value, bool):
            rows.append(FieldRow(name, _label(name), _yes_no(value)))
            continue
        if value in (None, ""):
            continue
        rows.append(
            FieldRow(name, _label(name), value, is_long=name in LONG_FIELDS, is_url=name in ("url", "tool_url"))
        )
    return rows


def duration_text(minutes: int) -> str:
    """120 → "2 h", 90 → "1 h 30", 45 → "45 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("%(minutes)s min") % {"minutes": rest}
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def _group_label():
    return gettext("Taille du groupe (participants)")


def _yes_no(value: bool) -> str:
    return gettext("oui") if value else gettext("non")


def link_rows(resource: Resource) -> list[LinkRow]:
    """The resource's référentiel links, pointing to the items in the version in force (the code kept if gone)."""
    version = FrameworkVersion.objects.current()
    links = list(resource.links.all())
    present: set[str] = set()
    if version is not None and links:
        from competences.models import Competence
        from missions.models import Activity, Mission

        codes = [link.code for link in links]
        for model in (Mission, Activity, Competence):
            present |= set(model.objects.of(version).filter(code__in=codes).values_list("code", flat=True))
    rows = []
    for link in links:
        url = ""
        if version is not None and link.code in present:
            url = reverse(URL_NAMES[link.kind], kwargs={"label": version.label, "code": link.code})
        rows.append(LinkRow(link.code, link.title, link.get_kind_display(), url))
    return rows


def authors(resource: Resource) -> list[str]:
    """The names the resource credits, as each person chose (core rule: User.credit_name)."""
    names = []
    people = ([resource.owner] if resource.owner_id else []) + list(resource.coauthors.select_related("profile"))
    for person in people:
        name = person.credit_name()
        if name and name not in names:
            names.append(name)
    names += [name.strip() for name in resource.other_authors.split(",") if name.strip()]
    return names


def resource_page(*, resource: Resource, user) -> dict:
    resource = (
        Resource.objects.select_related("owner__profile", "council", "decided_by__profile", "region")
        .prefetch_related("links", "files")
        .get(pk=resource.pk)
    )
    is_member = bool(user.is_authenticated and user.is_approved)
    is_curator = is_member and user.is_curator
    comments = ResourceComment.objects.filter(resource=resource).select_related("author__profile", "hidden_by")
    if not is_curator:
        comments = comments.filter(hidden_at__isnull=True)
    else:
        comments = comments.annotate(open_reports=Count("reports", filter=Q(reports__dismissed_at__isnull=True)))
    uses = list(ResourceUse.objects.filter(resource=resource).exclude(feedback="").select_related("user__profile")[:20])
    return {
        "resource": resource,
        "kind_rows": kind_rows(resource),
        "spec": KINDS[resource.kind],
        "links": link_rows(resource),
        "files": list(resource.files.all()),
        "authors": authors(resource),
        "licence_short": LICENCE_SHORT.get(resource.licence, resource.licence),
        "licence_url": LICENCE_URLS.get(resource.licence, ""),
        "can_edit": services.can_edit(user, resource),
        "is_author": services.is_author(user, resource),
        "is_member": is_member,
        "is_curator": is_curator,
        "marked_useful": is_member and UsefulMark.objects.filter(resource=resource, user=user).exists(),
        "my_use": ResourceUse.objects.filter(resource=resource, user=user).first() if is_member else None,
        "uses": uses,
        "follow_kind": follow_button(
            nature=resource.kind,
            following=ToolboxFollow.objects.filter(user=user, kind=resource.kind).exists(),
            next_url=resource_url(resource),
        )
        if is_member
        else None,
        "comments": list(comments),
        "Audience": Audience,
        "Status": ResourceStatus,
    }


def viewer_state(*, resource: Resource, user) -> tuple:
    """Everything of `user` a resource's page shows or decides on, in one query (toolbox.resource_cache keeps one
    rendering per state): what resource_page reads of the visitor."""
    if not (user.is_authenticated and user.is_approved):
        return (bool(user.is_authenticated), False)
    mine = {"resource_id": OuterRef("pk"), "user_id": user.pk}
    uses = ResourceUse.objects.filter(**mine).order_by("pk")
    row = (
        Resource.objects.filter(pk=resource.pk)
        .annotate(
            viewer_coauthor=Exists(Resource.coauthors.through.objects.filter(**mine)),
            viewer_marked=Exists(UsefulMark.objects.filter(**mine)),
            viewer_use=Subquery(uses.values("pk")[:1]),
            viewer_feedback=Subquery(uses.values("feedback")[:1]),
            viewer_follows=Exists(ToolboxFollow.objects.filter(user_id=user.pk, kind=OuterRef("kind"))),
            viewer_commented=Exists(ResourceComment.objects.filter(resource_id=OuterRef("pk"), author_id=user.pk)),
        )
        .values(
            "owner_id",
            "status",
            "viewer_coauthor",
            "viewer_marked",
            "viewer_use",
            "viewer_feedback",
            "viewer_follows",
            "viewer_commented",
        )
        .first()
    )
    if row is None:
        return (True, True, None)
    curator = bool(user.is_curator)
    author = row["owner_id"] == user.pk or row["viewer_coauthor"]
    return (
        True,
        True,
        curator,
        author,
        curator or (author and row["status"] != ResourceStatus.REFUSED),
        row["viewer_marked"],
        row["viewer_use"],
        row["viewer_feedback"],
        row["viewer_follows"],
        user.pk if row["viewer_commented"] else None,
    )


@dataclass(frozen=True)
class HistoryRow:
    label: str
    old: str
    new: str


def resource_history(*, resource: Resource, params) -> dict:
    """The revisions of a published resource, newest first, and what changed between two of them
    (`?de=2&a=5`; by default the latest and the one before)."""
    revisions = list(
        ResourceRevision.objects.filter(resource=resource).select_related("author__profile").order_by("-number")
    )
    by_number = {revision.number: revision for revision in revisions}

    old_number, new_number = compared_numbers(params, by_number)
    rows = []
    if new_number is not None:
        new = by_number[new_number].fields
        old = by_number[old_number].fields if old_number is not None else {}
        names = [name for name in (*HISTORY_FIELDS, *KINDS[resource.kind].fields) if name in new or name in old]
        for name in dict.fromkeys(names):
            before, after = str(old.get(name, "")), str(new.get(name, ""))
            if before != after:
                label = _history_label(name)
                rows.append(HistoryRow(label, before, after))
    return {
        "resource": resource,
        "revisions": revisions,
        "old_number": old_number,
        "new_number": new_number,
        "rows": rows,
    }


def _history_label(name: str) -> str:
    if name == "links":
        return gettext("Liens au référentiel")
    return _label(name)


def review_queue() -> dict:
    """What waits for the CNCD team in the toolbox."""
    base = Resource.objects.select_related("owner__profile").order_by("submitted_at", "pk")
    reports = (
        ResourceCommentReport.objects.filter(dismissed_at__isnull=True)
        .select_related("comment__resource", "comment__author__profile", "reporter__profile")
        .order_by("created_at")
    )
    return {
        "submitted": list(base.filter(status=ResourceStatus.SUBMITTED)),
        "awaiting_public": list(
            base.filter(status=ResourceStatus.PUBLISHED, audience=Audience.PUBLIC, public_approved=False)
        ),
        "changes": list(base.filter(status=ResourceStatus.CHANGES)),
        "reports": list(reports),
        "decision_form_prefix": "",
    }
