"""Business rules of the toolbox: drafting, the team's decisions, history, marks, comments, follows.

Every write is atomic and every edit of a resource claims its `lock_version` (core.concurrency): of two
people saving at once, one gets the conflict page with what they typed kept. The team's decisions and
moderation are audited (`toolbox.*` actions, read as sentences by toolbox.journal).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import concurrency
from core.audit import audit_log
from core.search import search_key
from fiches.notifications import notify
from members.models import User
from toolbox.enums import Audience, ResourceKind, ResourceStatus
from toolbox.fields import ALL_KIND_FIELDS, COMMON_FIELDS, HISTORY_FIELDS, KINDS, kind_fields
from toolbox.models import (
    FEEDBACK_LENGTH,
    Resource,
    ResourceComment,
    ResourceCommentReport,
    ResourceFile,
    ResourceLink,
    ResourceRevision,
    ResourceUse,
    ToolboxFollow,
    UsefulMark,
)
from toolbox.resource_cache import resource_changed
from toolbox.selectors import catalogue_changed

EDITABLE_STATUSES = (ResourceStatus.DRAFT, ResourceStatus.CHANGES, ResourceStatus.PUBLISHED, ResourceStatus.SUBMITTED)
SUBMITTABLE_STATUSES = (ResourceStatus.DRAFT, ResourceStatus.CHANGES)
MAX_REASON_LENGTH = 2_000


class ToolboxError(ValidationError):
    """A business rule refused the operation; the message is for the user."""


@dataclass(frozen=True)
class LinkData:
    kind: str
    code: str
    title: str = ""


# Reading rights ------------------------------------------------------------------------------


def can_edit(user, resource: Resource) -> bool:
    """The author, a co-author or the CNCD team; nobody once the resource is refused (the team excepted)."""
    if not (user and user.is_authenticated and user.is_approved):
        return False
    if user.is_curator:
        return True
    if resource.status == ResourceStatus.REFUSED:
        return False
    return is_author(user, resource)


def is_author(user, resource: Resource) -> bool:
    if not (user and user.is_authenticated):
        return False
    if resource.owner_id == user.pk:
        return True
    return resource.coauthors.filter(pk=user.pk).exists()


# Search text ---------------------------------------------------------------------------------


def search_document(resource: Resource) -> str:
    """Every searched text of `resource`, folded (lower case, no accents)."""
    parts = [resource.title, resource.summary, resource.description]
    for name in kind_fields(resource.kind):
        value = getattr(resource, name)
        if isinstance(value, str):
            parts.append(value)
    if resource.council_id:
        parts.append(str(resource.council))
    parts += [f"{link.code} {link.title}" for link in resource.links.all()]
    return search_key("\n".join(part for part in parts if part))


def search_refresh(resource: Resource) -> None:
    """Store the folded text (every database) and, on PostgreSQL, the weighted French vector."""
    from toolbox.search import vector_refresh  # the search module owns the PostgreSQL configuration

    text = search_document(resource)
    Resource.objects.filter(pk=resource.pk).update(search_text=text)
    resource.search_text = text
    vector_refresh(Resource.objects.filter(pk=resource.pk))


# Writing -------------------------------------------------------------------------------------


def _check_kind(kind: str, data: dict) -> None:
    spec = KINDS.get(kind)
    if spec is None:
        raise ToolboxError(_("Choisissez la nature de la ressource."))
    missing = [name for name in spec.required if data.get(name) in (None, "", [])]
    if missing:
        labels = ", ".join(str(Resource._meta.get_field(name).verbose_name) for name in missing)
        raise ToolboxError(_("Complétez : %(fields)s.") % {"fields": labels})
    low, high = data.get("group_min"), data.get("group_max")
    if low is not None and high is not None and low > high:
        raise ToolboxError(_("Le nombre minimal de participants dépasse le nombre maximal."))


def _apply(resource: Resource, data: dict) -> None:
    for name in (*COMMON_FIELDS, "licence", "audience", "other_authors"):
        if name in data:
            setattr(resource, name, data[name])
    own = set(kind_fields(resource.kind))
    for name in ALL_KIND_FIELDS:
        field = Resource._meta.get_field(name)
        if name in own:
            if name in data:
                setattr(resource, name, data[name])
        else:
            # Fields of another kind are emptied: a resource holds only what its kind shows.
            setattr(resource, name, field.get_default() if not field.null else None)


def _region_of(resource: Resource):
    """The region of the resource's council, else of its author's council (first department's region)."""
    from members.models import Department, Profile

    council_id = resource.council_id
    if council_id is None and resource.owner_id:
        council_id = Profile.objects.filter(user_id=resource.owner_id).values_list("council_id", flat=True).first()
    if council_id is None:
        return None
    department = Department.objects.filter(councils=council_id).order_by("code").select_related("region").first()
    return department.region if department else None


def _links_set(resource: Resource, links: list[LinkData]) -> None:
    wanted = {link.code: link for link in links}
    resource.links.exclude(code__in=list(wanted)).delete()
    existing = set(resource.links.values_list("code", flat=True))
    ResourceLink.objects.bulk_create(
        ResourceLink(resource=resource, kind=link.kind, code=link.code, title=link.title[:300])
        for code, link in wanted.items()
        if code not in existing
    )


def resource_fields(resource: Resource) -> dict[str, str]:
    """The resource's texts as a revision keeps them (every value a string, for the history's diffs)."""
    values = {}
    for name in (*HISTORY_FIELDS, *kind_fields(resource.kind)):
        if name == "links":
            values[name] = "\n".join(f"{link.code} {link.title}".strip() for link in resource.links.all())
            continue
        field = Resource._meta.get_field(name)
        value = getattr(resource, name)
        if name == "council":
            values[name] = str(resource.council) if resource.council_id else ""
        elif field.choices:
            values[name] = str(dict(field.choices).get(value, value or ""))
        elif isinstance(value, bool):
            values[name] = _("oui") if value else _("non")
        else:
            values[name] = "" if value is None else str(value)
    return values


def _revision_add(resource: Resource, *, author, summary: str = "") -> ResourceRevision:
    number = resource.revision_count + 1
    revision = ResourceRevision.objects.create(
        resource=resource, number=number, fields=resource_fields(resource), summary=summary[:255], author=author
    )
    Resource.objects.filter(pk=resource.pk).update(revision_count=number)
    resource.revision_count = number
    return revision


@transaction.atomic
def resource_create(*, user, kind: str, data: dict, links: list[LinkData] = (), coauthors=(), council=None) -> Resource:
    """A member starts a draft: only they (and the team) see it until it is published."""
    _check_kind(kind, data)
    resource = Resource(kind=kind, owner=user)
    _apply(resource, data)
    if kind == ResourceKind.REPORT:
        resource.council = council
    resource.region = _region_of(resource)
    resource.save()
    resource.coauthors.set([author for author in coauthors if author.pk != user.pk])
    _links_set(resource, list(links))
    search_refresh(resource)
    audit_log(actor=user, action="toolbox.resource.created", target=resource, data={"kind": kind})
    return resource


@transaction.atomic
def resource_update(
    *,
    resource: Resource,
    user,
    data: dict,
    links: list[LinkData] = (),
    coauthors=None,
    council=None,
    lock_version: int | None,
    summary: str = "",
) -> Resource:
    """Save an edit. A published resource keeps a revision of every save; asking for public access
    again after an edit needs the team's approval."""
    if not can_edit(user, resource):
        raise ToolboxError(_("Vous ne pouvez pas modifier cette ressource."))
    concurrency.version_claim(resource, expected=lock_version)
    resource.refresh_from_db()
    _check_kind(resource.kind, data)
    was_public = resource.audience == Audience.PUBLIC
    _apply(resource, data)
    if resource.kind == ResourceKind.REPORT:
        resource.council = council
    resource.region = _region_of(resource)
    if resource.audience != Audience.PUBLIC or not was_public:
        # Members-only, or newly asking to be public: the team approves a public resource.
        resource.public_approved = resource.public_approved and resource.audience == Audience.PUBLIC and was_public
    resource.save()
    if coauthors is not None:
        resource.coauthors.set([author for author in coauthors if author.pk != resource.owner_id])
    _links_set(resource, list(links))
    search_refresh(resource)
    if resource.is_published:
        revision = _revision_add(resource, author=user, summary=summary)
        if revision.number > 1:
            previous = resource.revisions.filter(number=revision.number - 1).values_list("fields", flat=True).first()
            if previous == revision.fields:
                revision.delete()  # nothing changed: no empty step in the history
                Resource.objects.filter(pk=resource.pk).update(revision_count=revision.number - 1)
                resource.revision_count = revision.number - 1
    catalogue_changed()
    audit_log(actor=user, action="toolbox.resource.edited", target=resource, data={"status": resource.status})
    return resource


def _locked(resource_id: int) -> Resource:
    resource = Resource.objects.select_for_update().filter(pk=resource_id).first()
    if resource is None:
        raise ToolboxError(_("Cette ressource n'existe plus."))
    return resource


def _clean_reason(reason: str, *, empty_message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ToolboxError(empty_message)
    if len(reason) > MAX_REASON_LENGTH:
        raise ToolboxError(_("Le message dépasse %(max)s caractères.") % {"max": MAX_REASON_LENGTH})
    return reason


def _author_ids(resource: Resource) -> set[int]:
    ids = set(resource.coauthors.values_list("pk", flat=True))
    if resource.owner_id:
        ids.add(resource.owner_id)
    return ids


def _tell_authors(resource: Resource, *, actor, message: str) -> None:
    notify(user_ids=_author_ids(resource), actor=actor, message=message, url=resource_url(resource))


def resource_url(resource: Resource) -> str:
    return reverse("toolbox:detail", kwargs={"pk": resource.pk})


@transaction.atomic
def resource_submit(*, resource_id: int, user) -> Resource:
    """The author hands the draft to the CNCD team."""
    resource = _locked(resource_id)
    if not (is_author(user, resource) or user.is_curator):
        raise ToolboxError(_("Seul·es les auteur·rices peuvent soumettre cette ressource."))
    if resource.status not in SUBMITTABLE_STATUSES:
        raise ToolboxError(_("Cette ressource n'est pas un brouillon : elle ne peut pas être soumise."))
    resource.status = ResourceStatus.SUBMITTED
    resource.submitted_at = timezone.now()
    resource.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=user, action="toolbox.resource.submitted", target=resource)
    return resource


@transaction.atomic
def resource_publish(*, resource_id: int, actor, make_public: bool = True, message: str = "") -> Resource:
    """The team publishes a submitted resource; `make_public` approves the public access the author asked for."""
    resource = _locked(resource_id)
    if resource.status != ResourceStatus.SUBMITTED:
        raise ToolboxError(_("Seule une ressource soumise peut être publiée."))
    message = (message or "").strip()[:MAX_REASON_LENGTH]
    first = resource.published_at is None
    now = timezone.now()
    resource.status = ResourceStatus.PUBLISHED
    resource.published_at = resource.published_at or now
    resource.public_approved = resource.audience == Audience.PUBLIC and make_public
    resource.decided_by, resource.decided_at, resource.decision_reason = actor, now, message
    resource.save()
    _revision_add(resource, author=actor, summary=_("Publication") if first else _("Nouvelle publication"))
    catalogue_changed()
    audit_log(
        actor=actor,
        action="toolbox.resource.published",
        target=resource,
        data={"public": resource.public_approved},
    )
    published = _("Votre ressource « %(title)s » est publiée.") % {"title": resource.title}
    _tell_authors(resource, actor=actor, message=published)
    if first:
        _tell_followers(resource, actor=actor)
    return resource


@transaction.atomic
def resource_approve_public(*, resource_id: int, actor) -> Resource:
    """The team opens a published resource to the public, as its author asked."""
    resource = _locked(resource_id)
    if not resource.awaits_public_approval:
        raise ToolboxError(_("Cette ressource n'attend pas d'approbation pour le public."))
    resource.public_approved = True
    resource.decided_by, resource.decided_at = actor, timezone.now()
    resource.save(update_fields=["public_approved", "decided_by", "decided_at", "updated_at"])
    catalogue_changed()
    audit_log(actor=actor, action="toolbox.resource.public_approved", target=resource)
    opened = _("Votre ressource « %(title)s » est ouverte au public.") % {"title": resource.title}
    _tell_authors(resource, actor=actor, message=opened)
    return resource


@transaction.atomic
def resource_request_changes(*, resource_id: int, actor, reason: str) -> Resource:
    """The team sends a submitted (or published) resource back to its authors with a comment."""
    reason = _clean_reason(reason, empty_message=_("Dites aux auteur·rices ce qu'il faut reprendre."))
    resource = _locked(resource_id)
    if resource.status not in (ResourceStatus.SUBMITTED, ResourceStatus.PUBLISHED):
        raise ToolboxError(_("Cette ressource n'attend pas de décision."))
    resource.status = ResourceStatus.CHANGES
    resource.decided_by, resource.decided_at, resource.decision_reason = actor, timezone.now(), reason
    resource.save()
    catalogue_changed()
    audit_log(actor=actor, action="toolbox.resource.changes_requested", target=resource, data={"reason": reason})
    _tell_authors(
        resource,
        actor=actor,
        message=_("L'équipe CNCD demande des modifications à « %(title)s » : %(reason)s")
        % {"title": resource.title, "reason": reason},
    )
    return resource


@transaction.atomic
def resource_refuse(*, resource_id: int, actor, reason: str) -> Resource:
    """The team refuses a resource, with a reason its authors read."""
    reason = _clean_reason(reason, empty_message=_("Indiquez le motif du refus."))
    resource = _locked(resource_id)
    if resource.status not in (ResourceStatus.SUBMITTED, ResourceStatus.PUBLISHED, ResourceStatus.CHANGES):
        raise ToolboxError(_("Cette ressource n'attend pas de décision."))
    resource.status = ResourceStatus.REFUSED
    resource.public_approved = False
    resource.decided_by, resource.decided_at, resource.decision_reason = actor, timezone.now(), reason
    resource.save()
    catalogue_changed()
    audit_log(actor=actor, action="toolbox.resource.refused", target=resource, data={"reason": reason})
    _tell_authors(
        resource,
        actor=actor,
        message=_("L'équipe CNCD a refusé « %(title)s » : %(reason)s") % {"title": resource.title, "reason": reason},
    )
    return resource


@transaction.atomic
def resource_delete(*, resource_id: int, user) -> None:
    """The author deletes a resource that was never published (the team may delete any)."""
    resource = _locked(resource_id)
    if not user.is_curator:
        if resource.owner_id != user.pk:
            raise ToolboxError(_("Seul·e l'auteur·rice peut supprimer cette ressource."))
        if resource.published_at is not None:
            raise ToolboxError(
                _(
                    "Une ressource déjà publiée ne peut plus être supprimée par son auteur·rice : "
                    "écrivez à l'équipe CNCD."
                )
            )
    files = list(resource.files.all())
    catalogue_changed()
    audit_log(actor=user, action="toolbox.resource.deleted", target=resource, data={"title": resource.title[:200]})
    resource.delete()
    for attached in files:
        transaction.on_commit(lambda attached=attached: _storage_delete(attached), robust=True)


def _storage_delete(attached: ResourceFile) -> None:
    for field in (attached.file, attached.preview):
        if field:
            field.storage.delete(field.name)


def _tell_followers(resource: Resource, *, actor) -> None:
    codes = list(resource.links.values_list("code", flat=True))
    user_ids = set(
        ToolboxFollow.objects.filter(Q(kind=resource.kind) | Q(code__in=codes)).values_list("user_id", flat=True)
    )
    user_ids -= _author_ids(resource)
    if user_ids:
        notify(
            user_ids=user_ids,
            actor=None,
            message=_("Nouvelle ressource dans la boîte à outils : « %(title)s » (%(kind)s)")
            % {"title": resource.title, "kind": resource.get_kind_display()},
            url=resource_url(resource),
        )


# Marks, uses, follows ------------------------------------------------------------------------


def _readable(resource_id: int, user) -> Resource:
    resource = Resource.objects.published().filter(pk=resource_id).first()
    if resource is None:
        raise ToolboxError(_("Cette ressource n'est pas publiée."))
    return resource


@transaction.atomic
def useful_toggle(*, resource_id: int, user) -> bool:
    """Mark the resource useful, or take the mark back; True when it is now marked."""
    resource = _readable(resource_id, user)
    catalogue_changed()
    deleted, _detail = UsefulMark.objects.filter(resource=resource, user=user).delete()
    if deleted:
        Resource.objects.filter(pk=resource.pk).update(useful_count=F("useful_count") - 1)
        return False
    try:
        with transaction.atomic():
            UsefulMark.objects.create(resource=resource, user=user)
    except IntegrityError:  # a second click at the same moment
        return True
    Resource.objects.filter(pk=resource.pk).update(useful_count=F("useful_count") + 1)
    return True


@transaction.atomic
def use_record(*, resource_id: int, user, feedback: str = "") -> ResourceUse:
    """ "Je l'ai utilisé", with a short feedback line; again replaces the line."""
    feedback = (feedback or "").strip()
    if len(feedback) > FEEDBACK_LENGTH:
        raise ToolboxError(_("Le retour tient en %(max)s caractères au plus.") % {"max": FEEDBACK_LENGTH})
    resource = _readable(resource_id, user)
    catalogue_changed()
    use, created = ResourceUse.objects.get_or_create(resource=resource, user=user, defaults={"feedback": feedback})
    if created:
        Resource.objects.filter(pk=resource.pk).update(use_count=F("use_count") + 1)
    elif use.feedback != feedback:
        use.feedback = feedback
        use.save(update_fields=["feedback", "updated_at"])
    return use


@transaction.atomic
def use_remove(*, resource_id: int, user) -> None:
    deleted, _detail = ResourceUse.objects.filter(resource_id=resource_id, user=user).delete()
    catalogue_changed()
    if deleted:
        Resource.objects.filter(pk=resource_id).update(use_count=F("use_count") - 1)


def follow_toggle(*, user, kind: str = "", code: str = "") -> bool:
    """Follow a kind or a référentiel code, or stop; True when now following."""
    if bool(kind) == bool(code):
        raise ToolboxError(_("Choisissez une nature de ressource ou un élément du référentiel à suivre."))
    if kind and kind not in ResourceKind.values:
        raise ToolboxError(_("Cette nature de ressource n'existe pas."))
    code = code.strip()[:40]
    deleted, _detail = ToolboxFollow.objects.filter(user=user, kind=kind, code=code).delete()
    if deleted:
        return False
    ToolboxFollow.objects.get_or_create(user=user, kind=kind, code=code)
    return True


# Comments and moderation ---------------------------------------------------------------------


def comment_add(*, resource_id: int, author, body: str) -> ResourceComment:
    from toolbox.models import COMMENT_LENGTH

    body = (body or "").strip()
    if not body:
        raise ToolboxError(_("Le commentaire est vide."))
    if len(body) > COMMENT_LENGTH:
        raise ToolboxError(_("Le commentaire dépasse %(max)s caractères.") % {"max": COMMENT_LENGTH})
    resource = _readable(resource_id, author)
    with transaction.atomic():
        comment = ResourceComment.objects.create(resource=resource, author=author, body=body)
        notify(
            user_ids=_author_ids(resource),
            actor=author,
            message=_("Nouveau commentaire sur « %(title)s »") % {"title": resource.title},
            url=resource_url(resource) + f"#commentaire-{comment.pk}",
        )
    return comment


def comment_report(*, comment_id: int, reporter, reason: str) -> ResourceCommentReport:
    reason = _clean_reason(reason, empty_message=_("Indiquez pourquoi ce message vous semble inapproprié."))[:255]
    comment = ResourceComment.objects.select_related("resource").filter(pk=comment_id).first()
    if comment is None:
        raise ToolboxError(_("Ce message n'existe pas."))
    if comment.hidden_at:
        raise ToolboxError(_("Ce message est déjà masqué."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                report = ResourceCommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
        except IntegrityError:
            raise ToolboxError(_("Vous avez déjà signalé ce message.")) from None
        notify(
            user_ids=set(User.objects.curators().values_list("pk", flat=True)),
            actor=reporter,
            message=_("Un commentaire de la ressource « %(title)s » a été signalé.")
            % {"title": comment.resource.title},
            url=resource_url(comment.resource) + f"#commentaire-{comment.pk}",
        )
    return report


@transaction.atomic
def comment_hide(*, comment_id: int, actor, reason: str) -> ResourceComment:
    reason = _clean_reason(reason, empty_message=_("Indiquez le motif du masquage."))[:255]
    comment = ResourceComment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise ToolboxError(_("Ce message n'existe pas."))
    if comment.hidden_at:
        raise ToolboxError(_("Ce message est déjà masqué."))
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = timezone.now(), actor, reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    ResourceCommentReport.objects.filter(comment=comment, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=actor, dismissal_reason=reason
    )
    audit_log(actor=actor, action="toolbox.comment.hidden", target=comment, data={"reason": reason})
    return comment


@transaction.atomic
def comment_restore(*, comment_id: int, actor, reason: str) -> ResourceComment:
    reason = _clean_reason(reason, empty_message=_("Indiquez pourquoi ce message est rétabli."))[:255]
    comment = ResourceComment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise ToolboxError(_("Ce message n'existe pas."))
    if not comment.hidden_at:
        raise ToolboxError(_("Ce message n'est pas masqué."))
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_log(actor=actor, action="toolbox.comment.restored", target=comment, data={"reason": reason})
    return comment


@transaction.atomic
def comment_reports_dismiss(*, comment_id: int, actor, reason: str) -> int:
    reason = _clean_reason(reason, empty_message=_("Indiquez pourquoi ces signalements sont classés sans suite."))[:255]
    dismissed = ResourceCommentReport.objects.filter(comment_id=comment_id, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=actor, dismissal_reason=reason
    )
    if not dismissed:
        raise ToolboxError(_("Aucun signalement de ce message n'attend de décision."))
    comment = ResourceComment.objects.get(pk=comment_id)
    resource_changed(comment.resource_id)  # a bulk write sends no signal
    data = {"reason": reason, "reports": dismissed}
    audit_log(actor=actor, action="toolbox.comment.reports_dismissed", target=comment, data=data)
    return dismissed
