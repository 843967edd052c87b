"""What the toolbox keeps about a person (core.personal_data), registered in ToolboxConfig.ready().

A published resource belongs to the network, as the common fiche does: when its author erases their
account, its texts, its files, its revisions and the comments they wrote stay, credited to the
anonymised account row (members), which every page shows as "Ancien·ne membre". What never reached the
network (their drafts, resources waiting for the team, sent back before any publication, or refused)
is deleted with its files. What is theirs alone (useful marks, "je l'ai utilisé", follows) is deleted,
and the resources' counters drop by as much.
"""

from django.db.models import F, Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataKind, StoredFile, personal_data_register
from toolbox.enums import ResourceStatus
from toolbox.fields import kind_fields
from toolbox.models import (
    Resource,
    ResourceComment,
    ResourceCommentReport,
    ResourceFile,
    ResourceRevision,
    ResourceUse,
    ToolboxFollow,
    UsefulMark,
)
from toolbox.selectors import catalogue_changed

ARCHIVE_DIR = "fichiers/boite-a-outils/"


def _iso(value):
    return value.isoformat() if value is not None else None


def _keep(user) -> None:
    """Keep the rows: they belong to the network; the account's anonymisation hides who wrote them."""


def _erased_resources(user):
    """The resources `user` owns that never reached the network, or were refused: deleted with the account."""
    never_published = Q(published_at__isnull=True) & ~Q(status=ResourceStatus.PUBLISHED)
    return Resource.objects.filter(owner=user).filter(never_published | Q(status=ResourceStatus.REFUSED))


def _shared_drafts(user):
    """Of those, the ones other members co-write: they stay with them (see resources_erase)."""
    return _erased_resources(user).exclude(status=ResourceStatus.REFUSED).filter(coauthors__isnull=False).distinct()


# Resources ----------------------------------------------------------------------------------------

RESOURCE_COLUMNS = (
    "number",
    "role",
    "kind",
    "title",
    "summary",
    "description",
    "fields",
    "links",
    "other_authors",
    "licence",
    "audience",
    "public_approved",
    "status",
    "created_at",
    "submitted_at",
    "published_at",
    "decided_at",
    "decision_reason",
    "updated_at",
)


def _kind_values(resource: Resource) -> dict:
    values = {}
    for name in kind_fields(resource.kind):
        field = Resource._meta.get_field(name)
        value = getattr(resource, name)
        if name == "council":
            value = resource.council.name if resource.council_id else None
        elif field.choices and value:
            value = str(dict(field.choices).get(value, value))
        values[name] = value
    return values


def resources_export(user) -> list[dict]:
    """The resources `user` wrote, as owner or co-author, whatever their status."""
    resources = (
        Resource.objects.authored_by(user)
        .select_related("council")
        .prefetch_related("links")
        .order_by("created_at", "pk")
    )
    return [
        {
            "number": resource.pk,
            "role": gettext("auteur·rice") if resource.owner_id == user.pk else gettext("co-auteur·rice"),
            "kind": str(resource.get_kind_display()),
            "title": resource.title,
            "summary": resource.summary,
            "description": resource.description,
            "fields": _kind_values(resource),
            "links": [link.code for link in resource.links.all()],
            "other_authors": resource.other_authors,
            "licence": str(resource.get_licence_display()),
            "audience": str(resource.get_audience_display()),
            "public_approved": resource.public_approved,
            "status": str(resource.get_status_display()),
            "created_at": _iso(resource.created_at),
            "submitted_at": _iso(resource.submitted_at),
            "published_at": _iso(resource.published_at),
            "decided_at": _iso(resource.decided_at),
            "decision_reason": resource.decision_reason,
            "updated_at": _iso(resource.updated_at),
        }
        for resource in resources
    ]


def resources_erase(user) -> None:
    """Delete what never reached the network (its files are listed by `files_listed`); keep the published texts.

    A draft co-written with other members stays theirs: its first co-author becomes its owner. On a
    resource someone else owns and that is not published, the person stops being a co-author.
    """
    catalogue_changed()
    for resource in _shared_drafts(user).prefetch_related("coauthors"):
        heir = min(resource.coauthors.all(), key=lambda coauthor: coauthor.pk)
        resource.owner = heir
        resource.save(update_fields=["owner", "updated_at"])
        resource.coauthors.remove(heir)
    _erased_resources(user).delete()  # links, files, revisions, marks and comments go with them
    through = Resource.coauthors.through.objects.filter(user=user)
    through.exclude(resource__status=ResourceStatus.PUBLISHED).delete()


# Files --------------------------------------------------------------------------------------------


def _archive_name(attached: ResourceFile) -> str:
    return f"{ARCHIVE_DIR}{attached.resource_id}-{get_valid_filename(attached.name) or 'fichier'}"


def files_export(user) -> list[dict]:
    """The files `user` added to resources, with their name in the archive."""
    return [
        {
            "resource": attached.resource.title,
            "name": attached.name,
            "content_type": attached.content_type,
            "size": attached.size,
            "downloads": attached.downloads,
            "created_at": _iso(attached.created_at),
            "in_archive": _archive_name(attached),
        }
        for attached in ResourceFile.objects.filter(uploaded_by=user)
        .select_related("resource")
        .order_by("created_at", "pk")
    ]


def files_listed(user):
    """The files `user` uploaded (copied into the archive) and every file of the resources erased with them.

    A file of a resource that stays (published) is copied but never deleted; a file of an erased
    resource, and its preview, is deleted from the storage once the erasure is committed.
    """
    erased = set(_erased_resources(user).exclude(pk__in=_shared_drafts(user)).values_list("pk", flat=True))
    files = ResourceFile.objects.filter(Q(uploaded_by=user) | Q(resource_id__in=erased)).order_by("created_at", "pk")
    for attached in files:
        goes = attached.resource_id in erased
        if attached.file:
            yield StoredFile(
                attached.file.storage,
                attached.file.name,
                _archive_name(attached),
                in_archive=attached.uploaded_by_id == user.pk,
                erased=goes,
            )
        if attached.preview and goes:
            yield StoredFile(attached.preview.storage, attached.preview.name, "", in_archive=False)


# Revisions ----------------------------------------------------------------------------------------


def revisions_export(user) -> list[dict]:
    """The saved states of published resources `user` recorded."""
    return [
        {
            "resource": revision.resource.title,
            "number": revision.number,
            "summary": revision.summary,
            "fields": revision.fields,
            "created_at": _iso(revision.created_at),
        }
        for revision in ResourceRevision.objects.filter(author=user)
        .select_related("resource")
        .order_by("created_at", "pk")
    ]


# Marks and uses (deleted, counters kept right) ----------------------------------------------------


def useful_export(user) -> list[dict]:
    """The resources `user` marked useful."""
    return [
        {"resource": mark.resource.title, "resource_number": mark.resource_id, "created_at": _iso(mark.created_at)}
        for mark in UsefulMark.objects.filter(user=user).select_related("resource").order_by("created_at", "pk")
    ]


def useful_erase(user) -> None:
    """Delete `user`'s marks; each resource's count drops by one."""
    catalogue_changed()
    marks = UsefulMark.objects.filter(user=user)
    Resource.objects.filter(pk__in=marks.values("resource_id"), useful_count__gt=0).update(
        useful_count=F("useful_count") - 1
    )
    marks.delete()


def uses_export(user) -> list[dict]:
    """The resources `user` said they used, with their feedback line."""
    return [
        {
            "resource": use.resource.title,
            "resource_number": use.resource_id,
            "feedback": use.feedback,
            "created_at": _iso(use.created_at),
            "updated_at": _iso(use.updated_at),
        }
        for use in ResourceUse.objects.filter(user=user).select_related("resource").order_by("created_at", "pk")
    ]


def uses_erase(user) -> None:
    """Delete `user`'s uses and their feedback; each resource's count drops by one."""
    catalogue_changed()
    uses = ResourceUse.objects.filter(user=user)
    Resource.objects.filter(pk__in=uses.values("resource_id"), use_count__gt=0).update(use_count=F("use_count") - 1)
    uses.delete()


# Comments, reports, follows -----------------------------------------------------------------------


def comments_export(user) -> list[dict]:
    """The comments `user` wrote on resources, hidden ones included."""
    return [
        {
            "number": comment.pk,
            "resource": comment.resource.title,
            "body": comment.body,
            "created_at": _iso(comment.created_at),
            "hidden_at": _iso(comment.hidden_at),
            "hidden_reason": comment.hidden_reason,
        }
        for comment in ResourceComment.objects.filter(author=user)
        .select_related("resource")
        .order_by("created_at", "pk")
    ]


def reports_export(user) -> list[dict]:
    """The comments `user` reported to the CNCD team, and what became of the report."""
    return [
        {
            "comment": report.comment_id,
            "resource": report.comment.resource.title,
            "reason": report.reason,
            "created_at": _iso(report.created_at),
            "comment_hidden": report.comment.hidden_at is not None,
            "dismissed_at": _iso(report.dismissed_at),
        }
        for report in ResourceCommentReport.objects.filter(reporter=user)
        .select_related("comment__resource")
        .order_by("created_at", "pk")
    ]


def reports_erase(user) -> None:
    """Delete `user`'s reports already dealt with; keep, pseudonymised, those still waiting for moderation."""
    # A pending report keeps the comment in the moderation queue: erasing an account must not let a
    # reported message escape review.
    ResourceCommentReport.objects.filter(reporter=user).filter(
        Q(dismissed_at__isnull=False) | Q(comment__hidden_at__isnull=False)
    ).delete()


def follows_export(user) -> list[dict]:
    """The kinds of resources and référentiel codes `user` follows."""
    rows = []
    for follow in ToolboxFollow.objects.filter(user=user).order_by("created_at", "pk"):
        if follow.kind:
            row = {"followed": gettext("Nature"), "target": str(follow.get_kind_display())}
        else:
            row = {"followed": gettext("Code du référentiel"), "target": follow.code}
        rows.append(row | {"created_at": _iso(follow.created_at)})
    return rows


def follows_erase(user) -> None:
    ToolboxFollow.objects.filter(user=user).delete()


# The team's decisions -----------------------------------------------------------------------------


def team_actions_export(user) -> list[dict]:
    """What `user` decided as a member of the CNCD team: resources decided on, comments hidden, reports dismissed."""
    rows = [
        {
            "action": gettext("Décision : %(status)s") % {"status": resource.get_status_display()},
            "object": resource.title,
            "date": resource.decided_at,
            "details": resource.decision_reason,
        }
        for resource in Resource.objects.filter(decided_by=user)
    ]
    rows += [
        {
            "action": gettext("Commentaire masqué"),
            "object": gettext("Commentaire n° %(number)s sur « %(title)s »")
            % {"number": comment.pk, "title": comment.resource.title},
            "date": comment.hidden_at,
            "details": comment.hidden_reason,
        }
        for comment in ResourceComment.objects.filter(hidden_by=user).select_related("resource")
    ]
    rows += [
        {
            "action": gettext("Signalement classé"),
            "object": gettext("Commentaire n° %(number)s sur « %(title)s »")
            % {"number": report.comment_id, "title": report.comment.resource.title},
            "date": report.dismissed_at,
            "details": report.dismissal_reason,
        }
        for report in ResourceCommentReport.objects.filter(dismissed_by=user).select_related("comment__resource")
    ]
    rows = [row | {"date": _iso(row["date"])} for row in rows]
    return sorted(rows, key=lambda row: (row["date"] is None, row["date"] or ""))


# Declarations -------------------------------------------------------------------------------------

_DELETED_RETENTION = _("Tant que votre compte existe ; supprimé avec lui.")
_COMMON_RETENTION = _(
    "Tant que la ressource est publiée : à la suppression de votre compte, le contenu reste (il appartient au "
    "réseau) et il est attribué à « Ancien·ne membre »."
)
_TOOLBOX_BASIS = _(
    "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, partager entre "
    "technicien·nes les outils du métier et reconnaître celles et ceux qui les ont écrits."
)
_CHOICE_BASIS = _("Consentement (RGPD, article 6.1.a) : c'est facultatif et vous pouvez le retirer à tout moment.")

RESOURCES = PersonalDataKind(
    key="boite-a-outils-ressources",
    label=_("Ressources de la boîte à outils"),
    description=_(
        "Les ressources que vous avez écrites ou co-écrites (méthodes, retours d'expérience, trames, outils "
        "numériques, ressources externes) : vos textes, les champs propres à leur nature, leurs liens au "
        "référentiel, leur licence, leur visibilité, leur état, leurs dates et le message de l'équipe CNCD. "
        "À la suppression de votre compte, vos brouillons, vos ressources en attente, à reprendre avant toute "
        "publication ou refusées sont supprimés avec leurs fichiers ; un brouillon co-écrit reste à ses "
        "co-auteur·rices ; les ressources publiées restent, attribuées à « Ancien·ne membre »."
    ),
    source=_("Saisies par vous dans la boîte à outils (« Proposer une ressource »)."),
    purpose=_("Partager entre technicien·nes les outils du métier et en reconnaître les auteur·rices."),
    legal_basis=_TOOLBOX_BASIS,
    retention=_COMMON_RETENTION,
    recipients=_(
        "L'équipe CNCD (toutes) ; les membres du réseau (ressources publiées) ; tout le monde (ressources "
        "publiques approuvées par l'équipe)."
    ),
    models=(Resource,),
    export=resources_export,
    erase=resources_erase,
    order=400,
    columns=RESOURCE_COLUMNS,
)

FILES = PersonalDataKind(
    key="boite-a-outils-fichiers",
    label=_("Fichiers déposés dans la boîte à outils"),
    description=_(
        "Les fichiers que vous avez joints à des ressources : nom, type, taille, nombre de téléchargements, "
        "date ; les fichiers eux-mêmes sont dans le dossier « fichiers/boite-a-outils »."
    ),
    source=_("Déposés par vous sur la page d'une ressource."),
    purpose=_("Partager entre technicien·nes les modèles et supports des ressources."),
    legal_basis=_TOOLBOX_BASIS,
    retention=_(
        "Ceux d'une ressource publiée restent avec elle ; ceux d'une ressource supprimée avec votre compte "
        "sont effacés avec elle."
    ),
    recipients=_("Les mêmes personnes que la ressource à laquelle le fichier est joint."),
    models=(ResourceFile,),
    export=files_export,
    erase=_keep,
    files=files_listed,
    order=405,
    columns=("resource", "name", "content_type", "size", "downloads", "created_at", "in_archive"),
)

REVISIONS = PersonalDataKind(
    key="boite-a-outils-revisions",
    label=_("Révisions des ressources"),
    description=_(
        "Les états des ressources publiées que vous avez enregistrés (modification, publication) : numéro, "
        "résumé, contenu et date."
    ),
    source=_("Enregistrées quand vous avez modifié ou publié une ressource."),
    purpose=_("Garder l'historique des ressources et reconnaître leurs contributeurs et contributrices."),
    legal_basis=_TOOLBOX_BASIS,
    retention=_COMMON_RETENTION,
    recipients=_("Les personnes qui peuvent lire la ressource (page « Historique »)."),
    models=(ResourceRevision,),
    export=revisions_export,
    erase=_keep,
    order=410,
    columns=("resource", "number", "summary", "fields", "created_at"),
)

USEFUL = PersonalDataKind(
    key="boite-a-outils-utile",
    label=_("Ressources marquées « utile »"),
    description=_(
        "Les ressources que vous avez marquées « utile ». Supprimées avec votre compte ; le nombre de "
        "marques de la ressource baisse d'autant."
    ),
    source=_("Enregistrées quand vous avez cliqué sur « Utile » sur une ressource."),
    purpose=_("Aider les membres à repérer les ressources que leurs pairs jugent utiles."),
    legal_basis=_CHOICE_BASIS,
    retention=_DELETED_RETENTION,
    recipients=_("Les membres voient le nombre de marques, pas qui les a posées."),
    models=(UsefulMark,),
    export=useful_export,
    erase=useful_erase,
    order=420,
    columns=("resource", "resource_number", "created_at"),
)

USES = PersonalDataKind(
    key="boite-a-outils-utilisations",
    label=_("Ressources utilisées (« je l'ai utilisé »)"),
    description=_(
        "Les ressources que vous avez dit avoir utilisées, avec votre retour en une ligne. Supprimées avec "
        "votre compte ; le nombre d'utilisations de la ressource baisse d'autant."
    ),
    source=_("Saisies par vous avec « Je l'ai utilisé » sur une ressource."),
    purpose=_("Montrer aux membres qu'une ressource a servi, et comment."),
    legal_basis=_CHOICE_BASIS,
    retention=_DELETED_RETENTION,
    recipients=_("Les membres du réseau."),
    models=(ResourceUse,),
    export=uses_export,
    erase=uses_erase,
    order=425,
    columns=("resource", "resource_number", "feedback", "created_at", "updated_at"),
)

COMMENTS = PersonalDataKind(
    key="boite-a-outils-commentaires",
    label=_("Commentaires sur les ressources"),
    description=_(
        "Les messages que vous avez écrits sous les ressources, y compris ceux masqués par la modération "
        "(avec le motif)."
    ),
    source=_("Saisis par vous sous les ressources publiées."),
    purpose=_("Permettre aux membres d'échanger sur les ressources."),
    legal_basis=_TOOLBOX_BASIS,
    retention=_COMMON_RETENTION,
    recipients=_("Les membres du réseau ; un message masqué n'est plus lisible que par l'équipe CNCD."),
    models=(ResourceComment,),
    export=comments_export,
    erase=_keep,
    order=430,
    columns=("number", "resource", "body", "created_at", "hidden_at", "hidden_reason"),
)

REPORTS = PersonalDataKind(
    key="boite-a-outils-signalements",
    label=_("Signalements de commentaires de la boîte à outils"),
    description=_(
        "Les commentaires que vous avez signalés à l'équipe CNCD et pourquoi. À la suppression de votre "
        "compte, un signalement déjà traité est supprimé ; un signalement en attente reste, attribué à "
        "« Ancien·ne membre », pour que le message soit tout de même examiné."
    ),
    source=_("Saisis par vous avec le bouton « Signaler » d'un commentaire."),
    purpose=_("Permettre à l'équipe CNCD de modérer les échanges."),
    legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : garder des échanges respectueux."),
    retention=_(
        "Tant que votre compte existe ; à sa suppression, un signalement encore en attente reste, attribué à "
        "« Ancien·ne membre », tant que le commentaire existe."
    ),
    recipients=_("L'équipe CNCD."),
    models=(ResourceCommentReport,),
    export=reports_export,
    erase=reports_erase,
    order=435,
    columns=("comment", "resource", "reason", "created_at", "comment_hidden", "dismissed_at"),
)

FOLLOWS = PersonalDataKind(
    key="boite-a-outils-abonnements",
    label=_("Abonnements à la boîte à outils"),
    description=_("Les natures de ressources et les éléments du référentiel que vous suivez, et depuis quand."),
    source=_("Enregistrés quand vous avez choisi de suivre une nature de ressource ou un élément du référentiel."),
    purpose=_("Vous prévenir des nouvelles ressources publiées sur ce que vous suivez."),
    legal_basis=_CHOICE_BASIS,
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e."),
    models=(ToolboxFollow,),
    export=follows_export,
    erase=follows_erase,
    order=440,
    columns=("followed", "target", "created_at"),
)

TEAM_ACTIONS = PersonalDataKind(
    key="boite-a-outils-actions-equipe",
    label=_("Décisions et modération dans la boîte à outils"),
    description=_(
        "Ce que vous avez fait comme membre de l'équipe CNCD : ressources publiées, ouvertes au public, "
        "renvoyées ou refusées, commentaires masqués, signalements classés, avec leur date et leur motif."
    ),
    source=_("Enregistré lorsque vous avez effectué ces actions."),
    purpose=_("Garder la trace des décisions prises sur les ressources et de la modération des échanges."),
    legal_basis=_TOOLBOX_BASIS,
    retention=_(
        "Tant que la ressource existe : à la suppression de votre compte, les décisions restent et sont "
        "attribuées à « Ancien·ne membre »."
    ),
    recipients=_("Les auteur·rices des ressources (décisions) ; l'équipe CNCD (modération)."),
    models=(Resource, ResourceComment, ResourceCommentReport),
    export=team_actions_export,
    erase=_keep,
    order=445,
    columns=("action", "object", "date", "details"),
)

KINDS = (RESOURCES, FILES, REVISIONS, USEFUL, USES, COMMENTS, REPORTS, FOLLOWS, TEAM_ACTIONS)


def register() -> None:
    """Declare the toolbox's kinds of personal data."""
    for kind in KINDS:
        personal_data_register(kind)
