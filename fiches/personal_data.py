"""What the fiches app keeps about a person (core.personal_data), registered in FichesConfig.ready().

What a member wrote for the common fiche (revisions, suggestions, comments) belongs to the network
and stays when they erase their account: the author keeps pointing to the anonymised account row
(members), which every page shows as "Ancien·ne membre". What is theirs alone (their own fiche,
supports, follows, notifications) is deleted.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.pdf import pdf_cache_discard
from core.personal_data import PersonalDataKind, personal_data_register
from fiches import tasks
from fiches.models import (
    Comment,
    CommentReport,
    FicheVersion,
    Follow,
    Notification,
    NotificationSetting,
    PersonalFiche,
    PersonalSection,
    Revision,
    Suggestion,
    Support,
)
from fiches.pdf import draft_pdf_cache_keys, version_pdf_document


def _iso(value):
    return value.isoformat() if value is not None else None


def _keep(user) -> None:
    """Keep the rows: they belong to the common fiche; the account's anonymisation hides who wrote them."""
    # The author fields keep pointing to the anonymised account row (members), shown as "Ancien·ne membre".


# Ma fiche de poste ------------------------------------------------------------------------------


def personal_fiches_export(user) -> list[dict]:
    """`user`'s own fiches de poste (one per common fiche), without their sections."""
    return [
        {
            "common_fiche": personal.source.title,
            "copied_from_version": personal.copied_from.label,
            "job_title": personal.job_title,
            "employer": personal.employer,
            "time_share_percent": personal.time_share,
            "local_context": personal.local_context,
            "created_at": _iso(personal.created_at),
            "updated_at": _iso(personal.updated_at),
        }
        for personal in PersonalFiche.objects.filter(owner=user)
        .select_related("source", "copied_from")
        .order_by("created_at", "pk")
    ]


def personal_fiches_erase(user) -> None:
    """Delete `user`'s own fiches de poste, their sections with them."""
    PersonalFiche.objects.filter(owner=user).delete()


def personal_sections_export(user) -> list[dict]:
    """The sections of `user`'s own fiches, with their text as they wrote it."""
    return [
        {
            "common_fiche": section.personal_fiche.source.title,
            "section": section.title,
            "order": section.order,
            "body": section.body,
            "changed_by_you": section.is_modified,
            "aligned_on_revision": section.base_revision.number,
        }
        for section in PersonalSection.objects.filter(personal_fiche__owner=user)
        .select_related("personal_fiche__source", "base_revision")
        .order_by("personal_fiche__created_at", "personal_fiche_id", "order", "pk")
    ]


def personal_sections_erase(user) -> None:
    """Delete the sections of `user`'s own fiches."""
    PersonalSection.objects.filter(personal_fiche__owner=user).delete()


# Contributions to the common fiche (kept, pseudonymised) ----------------------------------------


def suggestions_export(user) -> list[dict]:
    """The suggestions `user` wrote, with their text, rationale and the decision taken."""
    return [
        {
            "number": suggestion.pk,
            "fiche": suggestion.section.fiche.title,
            "section": suggestion.section.title,
            "status": str(suggestion.get_status_display()),
            "body": suggestion.body,
            "rationale": suggestion.rationale,
            "created_at": _iso(suggestion.created_at),
            "updated_at": _iso(suggestion.updated_at),
            "decided_at": _iso(suggestion.decided_at),
            "decision_reason": suggestion.decision_reason,
        }
        for suggestion in Suggestion.objects.filter(author=user)
        .select_related("section__fiche")
        .order_by("created_at", "pk")
    ]


def comments_export(user) -> list[dict]:
    """The comments `user` wrote in suggestions' discussions, hidden ones included."""
    return [
        {
            "number": comment.pk,
            "suggestion": comment.suggestion_id,
            "section": comment.suggestion.section.title,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "created_at": _iso(comment.created_at),
            "hidden_at": _iso(comment.hidden_at),
            "hidden_reason": comment.hidden_reason,
        }
        for comment in Comment.objects.filter(author=user)
        .select_related("suggestion__section")
        .order_by("created_at", "pk")
    ]


def revisions_export(user) -> list[dict]:
    """The revisions of the common fiches `user` wrote (directly, or by a suggestion of theirs accepted)."""
    return [
        {
            "fiche": revision.section.fiche.title,
            "section": revision.section.title,
            "number": revision.number,
            "source": str(revision.get_source_display()),
            "summary": revision.summary,
            "body": revision.body,
            "created_at": _iso(revision.created_at),
        }
        for revision in Revision.objects.filter(author=user)
        .select_related("section__fiche")
        .order_by("created_at", "pk")
    ]


def revisions_erase(user) -> None:
    """Keep the revisions (pseudonymised); drop the stored PDFs of the versions that name `user` as a contributor."""
    # A published version's PDF lists its contributors by name and is stored once rendered
    # (core.pdf): the stored files must not outlive the erasure until someone downloads them again.
    versions = list(
        FicheVersion.objects.filter(
            entries__section__revisions__author=user,
            entries__section__revisions__created_at__lte=F("published_at"),
        )
        .select_related("fiche")
        .distinct()
    )

    # The drafts they wrote in are kept in the cache (fiches.pdf.DraftPdfDocument) with their name: dropped too.
    drafts = list(Revision.objects.filter(author=user).values_list("section__fiche", flat=True).distinct())

    def discard():
        for version in versions:
            pdf_cache_discard(version_pdf_document(version).cache_key)
            tasks.version_pdf_prerender.enqueue(version.pk)
        for fiche_pk in drafts:
            cache.delete_many(draft_pdf_cache_keys(fiche_pk))

    if versions or drafts:
        transaction.on_commit(discard, robust=True)


def team_actions_export(user) -> list[dict]:
    """What `user` did as a member of the CNCD team: decisions, moderation, revisions recorded, versions published."""
    rows = [
        {
            "action": gettext("Décision : %(status)s") % {"status": suggestion.get_status_display()},
            "object": gettext("Proposition n° %(number)s (%(section)s)")
            % {"number": suggestion.pk, "section": suggestion.section.title},
            "date": suggestion.decided_at,
            "details": suggestion.decision_reason,
        }
        for suggestion in Suggestion.objects.filter(decided_by=user).select_related("section")
    ]
    rows += [
        {
            "action": gettext("Commentaire masqué"),
            "object": gettext("Commentaire n° %(number)s de la proposition n° %(suggestion)s")
            % {"number": comment.pk, "suggestion": comment.suggestion_id},
            "date": comment.hidden_at,
            "details": comment.hidden_reason,
        }
        for comment in Comment.objects.filter(hidden_by=user)
    ]
    rows += [
        {
            # The revisions they wrote themselves are in their revisions already.
            "action": gettext("Révision enregistrée pour un·e autre membre"),
            "object": f"{revision.section.title} · {revision.number}",
            "date": revision.created_at,
            "details": revision.summary,
        }
        for revision in Revision.objects.filter(committed_by=user).exclude(author=user).select_related("section")
    ]
    rows += [
        {
            "action": gettext("Version publiée"),
            "object": f"{version.fiche.title} {version.label}",
            "date": version.published_at,
            "details": version.summary,
        }
        for version in FicheVersion.objects.filter(published_by=user).select_related("fiche")
    ]
    rows = [row | {"date": _iso(row["date"])} for row in rows]
    # Oldest first (ISO dates in one time zone sort as dates do); an undated action last.
    return sorted(rows, key=lambda row: (row["date"] is None, row["date"] or ""))


# Participation (deleted) ------------------------------------------------------------------------


def supports_export(user) -> list[dict]:
    """The suggestions `user` supports or supported."""
    return [
        {
            "suggestion": support.suggestion_id,
            "section": support.suggestion.section.title,
            "suggestion_status": str(support.suggestion.get_status_display()),
            "created_at": _iso(support.created_at),
        }
        for support in Support.objects.filter(user=user)
        .select_related("suggestion__section")
        .order_by("created_at", "pk")
    ]


def supports_erase(user) -> None:
    """Delete `user`'s supports (each suggestion's count drops by one)."""
    Support.objects.filter(user=user).delete()


def follows_export(user) -> list[dict]:
    """The fiches, sections and suggestions `user` follows."""
    rows = []
    for follow in Follow.objects.filter(user=user).select_related("fiche", "section", "suggestion__section"):
        if follow.fiche_id:
            kind, name = gettext("Fiche"), follow.fiche.title
        elif follow.section_id:
            kind, name = gettext("Section"), follow.section.title
        else:
            kind = gettext("Proposition")
            name = gettext("Proposition n° %(number)s (%(section)s)") % {
                "number": follow.suggestion_id,
                "section": follow.suggestion.section.title,
            }
        rows.append({"kind": kind, "followed": name, "created_at": _iso(follow.created_at)})
    return rows


def follows_erase(user) -> None:
    """Delete what `user` follows."""
    Follow.objects.filter(user=user).delete()


def notifications_export(user) -> list[dict]:
    """The notifications `user` received on the site."""
    return [
        {
            "message": notification.message,
            "url": notification.url,
            "created_at": _iso(notification.created_at),
            "read_at": _iso(notification.read_at),
            "emailed_at": _iso(notification.emailed_at),
        }
        for notification in Notification.objects.for_user(user)
    ]


def notifications_erase(user) -> None:
    """Delete the notifications `user` received."""
    Notification.objects.filter(recipient=user).delete()


def notification_settings_export(user) -> list[dict]:
    """How `user` chose to be told by email, when they chose."""
    return [
        {"email_mode": str(setting.get_email_mode_display())}
        for setting in NotificationSetting.objects.filter(user=user)
    ]


def notification_settings_erase(user) -> None:
    """Delete `user`'s email preference."""
    NotificationSetting.objects.filter(user=user).delete()


def reports_export(user) -> list[dict]:
    """The comments `user` reported to the CNCD team, and why."""
    return [
        {
            "comment": report.comment_id,
            "suggestion": report.comment.suggestion_id,
            "reason": report.reason,
            "created_at": _iso(report.created_at),
            "comment_hidden": report.comment.hidden_at is not None,
        }
        for report in CommentReport.objects.filter(reporter=user).select_related("comment").order_by("created_at")
    ]


def reports_erase(user) -> None:
    """Delete `user`'s reports on comments already hidden; keep, pseudonymised, those still waiting for moderation."""
    # A pending report keeps the comment in the moderation queue: erasing an account must not let a
    # reported message escape review. Once the comment is hidden, the report has served its purpose.
    CommentReport.objects.filter(reporter=user, comment__hidden_at__isnull=False).delete()


# Declarations -----------------------------------------------------------------------------------


def _notifications_retention() -> str:
    # Quotes the setting `prune_notifications` applies, read when the text is shown.
    return gettext(
        "Une notification lue est supprimée %(days)s jours après sa réception ; une notification non lue est "
        "gardée jusqu'à sa lecture. Toutes sont supprimées avec votre compte."
    ) % {"days": settings.NOTIFICATION_RETENTION_DAYS}


_CONTRIBUTION_RETENTION = _(
    "Tant que la fiche commune existe : à la suppression de votre compte, le contenu reste "
    "(il appartient au réseau) et il est attribué à « Ancien·ne membre »."
)
_DELETED_RETENTION = _("Tant que votre compte existe ; supprimé avec lui.")
_COMMON_FICHE_BASIS = _(
    "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, écrire avec le "
    "réseau une fiche de poste commune et garder l'historique de qui y a contribué."
)
_PERSONAL_FICHE_BASIS = _(
    "Consentement (RGPD, article 6.1.a) : la fiche personnelle est facultative, vous pouvez la supprimer à tout moment."
)

PERSONAL_FICHES = PersonalDataKind(
    key="fiches-fiche-personnelle",
    label=_("Ma fiche de poste"),
    description=_(
        "Votre fiche de poste personnelle : la fiche commune et la version dont elle est copiée, "
        "l'intitulé de votre poste, votre collectivité employeuse, la part de votre temps consacrée au "
        "conseil, vos spécificités locales et ses dates."
    ),
    source=_("Saisie par vous sur la page « Ma fiche de poste »."),
    purpose=_("Vous permettre d'adapter la fiche commune à votre poste et d'en obtenir un PDF."),
    legal_basis=_PERSONAL_FICHE_BASIS,
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e."),
    models=(PersonalFiche,),
    export=personal_fiches_export,
    erase=personal_fiches_erase,
    order=300,
    columns=(
        "common_fiche",
        "copied_from_version",
        "job_title",
        "employer",
        "time_share_percent",
        "local_context",
        "created_at",
        "updated_at",
    ),
)

PERSONAL_SECTIONS = PersonalDataKind(
    key="fiches-fiche-personnelle-sections",
    label=_("Sections de ma fiche de poste"),
    description=_(
        "Le texte de chaque section de votre fiche de poste personnelle, tel que vous l'avez adapté, "
        "et s'il diffère du texte commun."
    ),
    source=_("Copiée de la fiche commune, puis modifiée par vous sur la page « Ma fiche de poste »."),
    purpose=_("Vous permettre d'adapter la fiche commune à votre poste et d'en obtenir un PDF."),
    legal_basis=_PERSONAL_FICHE_BASIS,
    retention=_("Tant que votre compte existe ; supprimées avec lui."),
    recipients=_("Vous seul·e."),
    models=(PersonalSection,),
    export=personal_sections_export,
    erase=personal_sections_erase,
    order=305,
    columns=("common_fiche", "section", "order", "body", "changed_by_you", "aligned_on_revision"),
)

REVISIONS = PersonalDataKind(
    key="fiches-revisions",
    label=_("Révisions de la fiche commune"),
    description=_(
        "Les révisions des sections de la fiche commune dont vous êtes l'auteur·rice (modification directe "
        "ou proposition acceptée) : section, numéro, origine, résumé, texte et date."
    ),
    source=_("Enregistrées lorsque vous avez modifié une section ou qu'une de vos propositions a été acceptée."),
    purpose=_("Garder l'historique de la fiche commune et reconnaître ses contributeurs et contributrices."),
    legal_basis=_COMMON_FICHE_BASIS,
    retention=_CONTRIBUTION_RETENTION,
    recipients=_(
        "Les membres du réseau (historique de la fiche) ; votre nom figure parmi les contributeurs du PDF "
        "des versions publiées, public."
    ),
    models=(Revision,),
    export=revisions_export,
    erase=revisions_erase,
    order=310,
    columns=("fiche", "section", "number", "source", "summary", "body", "created_at"),
)

SUGGESTIONS = PersonalDataKind(
    key="fiches-propositions",
    label=_("Propositions de modification"),
    description=_(
        "Les propositions de modification de la fiche commune que vous avez écrites : texte proposé, "
        "justification, statut, dates et motif de la décision."
    ),
    source=_("Saisies par vous sur les pages de la fiche commune."),
    purpose=_("Permettre au réseau de discuter et de décider des changements de la fiche commune."),
    legal_basis=_COMMON_FICHE_BASIS,
    retention=_CONTRIBUTION_RETENTION,
    recipients=_("Les membres du réseau."),
    models=(Suggestion,),
    export=suggestions_export,
    erase=_keep,
    order=320,
    columns=(
        "number",
        "fiche",
        "section",
        "status",
        "body",
        "rationale",
        "created_at",
        "updated_at",
        "decided_at",
        "decision_reason",
    ),
)

COMMENTS = PersonalDataKind(
    key="fiches-commentaires",
    label=_("Commentaires sur les propositions"),
    description=_(
        "Les messages que vous avez écrits dans la discussion des propositions, y compris ceux masqués "
        "par la modération (avec le motif)."
    ),
    source=_("Saisis par vous dans la discussion des propositions."),
    purpose=_("Permettre au réseau de discuter des changements de la fiche commune."),
    legal_basis=_COMMON_FICHE_BASIS,
    retention=_CONTRIBUTION_RETENTION,
    recipients=_("Les membres du réseau ; un message masqué n'est plus lisible que par l'équipe CNCD."),
    models=(Comment,),
    export=comments_export,
    erase=_keep,
    order=330,
    columns=("number", "suggestion", "section", "reply_to", "body", "created_at", "hidden_at", "hidden_reason"),
)

TEAM_ACTIONS = PersonalDataKind(
    key="fiches-actions-equipe",
    label=_("Décisions et modération sur la fiche commune"),
    description=_(
        "Ce que vous avez fait comme membre de l'équipe CNCD : propositions acceptées ou refusées, "
        "commentaires masqués, révisions enregistrées pour d'autres membres, versions publiées, avec "
        "leur date et leur motif."
    ),
    source=_("Enregistré lorsque vous avez effectué ces actions."),
    purpose=_("Garder la trace des décisions prises sur la fiche commune et de la modération des discussions."),
    legal_basis=_COMMON_FICHE_BASIS,
    retention=_(
        "Tant que la fiche commune existe : à la suppression de votre compte, les décisions restent "
        "et sont attribuées à « Ancien·ne membre »."
    ),
    recipients=_("Les membres du réseau (décisions, versions publiées) ; l'équipe CNCD (modération)."),
    models=(Suggestion, Comment, Revision, FicheVersion),
    export=team_actions_export,
    erase=_keep,
    order=340,
    columns=("action", "object", "date", "details"),
)

SUPPORTS = PersonalDataKind(
    key="fiches-soutiens",
    label=_("Soutiens aux propositions"),
    description=_(
        "Les propositions de modification que vous soutenez. Un soutien est une opinion personnelle : "
        "il est supprimé avec votre compte, et le nombre de soutiens de la proposition baisse d'autant."
    ),
    source=_("Enregistrés lorsque vous avez cliqué sur « Soutenir » sur une proposition."),
    purpose=_("Montrer l'intérêt des membres pour une proposition, pour aider l'équipe CNCD à décider."),
    legal_basis=_("Consentement (RGPD, article 6.1.a) : soutenir une proposition est facultatif."),
    retention=_DELETED_RETENTION,
    recipients=_("Les membres du réseau voient le nombre de soutiens de chaque proposition."),
    models=(Support,),
    export=supports_export,
    erase=supports_erase,
    order=350,
    columns=("suggestion", "section", "suggestion_status", "created_at"),
)

FOLLOWS = PersonalDataKind(
    key="fiches-abonnements",
    label=_("Abonnements"),
    description=_("Les fiches, sections et propositions que vous suivez, et depuis quand."),
    source=_("Enregistrés lorsque vous avez choisi de suivre une fiche, une section ou une proposition."),
    purpose=_("Vous prévenir de ce qui change sur ce que vous suivez."),
    legal_basis=_(
        "Consentement (RGPD, article 6.1.a) : vous choisissez ce que vous suivez et pouvez arrêter à tout moment."
    ),
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e."),
    models=(Follow,),
    export=follows_export,
    erase=follows_erase,
    order=360,
    columns=("kind", "followed", "created_at"),
)

NOTIFICATIONS = PersonalDataKind(
    key="fiches-notifications",
    label=_("Notifications"),
    description=_(
        "Les notifications que vous avez reçues sur le site : message, lien, date de réception, de lecture "
        "et d'envoi par e-mail."
    ),
    source=_("Créées par le site lorsque quelque chose change sur ce que vous suivez."),
    purpose=_("Vous prévenir de ce qui change sur la fiche commune."),
    legal_basis=_(
        "Intérêt légitime (RGPD, article 6.1.f) : vous tenir informé·e de ce que vous suivez et de la suite "
        "donnée à vos contributions."
    ),
    retention=lazy(_notifications_retention, str)(),
    recipients=_("Vous seul·e."),
    models=(Notification,),
    export=notifications_export,
    erase=notifications_erase,
    order=370,
    columns=("message", "url", "created_at", "read_at", "emailed_at"),
)

NOTIFICATION_SETTINGS = PersonalDataKind(
    key="fiches-preferences-notifications",
    label=_("Préférence d'envoi des notifications"),
    description=_("Comment vous souhaitez être prévenu·e par e-mail (à chaque notification, chaque jour ou jamais)."),
    source=_("Choisie par vous sur la page de vos notifications."),
    purpose=_("Respecter votre choix de recevoir ou non des e-mails."),
    legal_basis=_("Consentement (RGPD, article 6.1.a) : vous choisissez de recevoir ou non des e-mails."),
    retention=_DELETED_RETENTION,
    recipients=_("Vous seul·e."),
    models=(NotificationSetting,),
    export=notification_settings_export,
    erase=notification_settings_erase,
    order=380,
    columns=("email_mode",),
)

REPORTS = PersonalDataKind(
    key="fiches-signalements",
    label=_("Signalements de commentaires"),
    description=_(
        "Les commentaires que vous avez signalés à l'équipe CNCD et pourquoi. À la suppression de votre "
        "compte, un signalement déjà traité (commentaire masqué) est supprimé ; un signalement en attente "
        "reste, attribué à « Ancien·ne membre », pour que le message soit tout de même examiné."
    ),
    source=_("Saisis par vous avec le bouton « Signaler » d'un commentaire."),
    purpose=_("Permettre à l'équipe CNCD de modérer les discussions."),
    legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : garder des discussions respectueuses."),
    retention=_(
        "Tant que votre compte existe ; à sa suppression, un signalement encore en attente reste, attribué "
        "à « Ancien·ne membre », tant que le commentaire existe."
    ),
    recipients=_("L'équipe CNCD."),
    models=(CommentReport,),
    export=reports_export,
    erase=reports_erase,
    order=390,
    columns=("comment", "suggestion", "reason", "created_at", "comment_hidden"),
)


def register() -> None:
    """Declare the fiches app's kinds of personal data."""
    for kind in (
        PERSONAL_FICHES,
        PERSONAL_SECTIONS,
        REVISIONS,
        SUGGESTIONS,
        COMMENTS,
        TEAM_ACTIONS,
        SUPPORTS,
        FOLLOWS,
        NOTIFICATIONS,
        NOTIFICATION_SETTINGS,
        REPORTS,
    ):
        personal_data_register(kind)
