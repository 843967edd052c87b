"""Business rules of the fiche de poste: revisions, suggestions, discussion, versions, participation.

Every write that depends on a section's current revision locks the section row first and compares
revision ids inside the transaction: of two people saving at the same moment, one wins and the
other gets an EditConflict; nothing is overwritten. A suggestion's text is written on a revision
(`base_revision`): accepting it applies its changes onto the current text by a three-way merge, so
it never undoes what others wrote since; where both changed the same words, it is refused and its
author told. Suggestions and personal fiches carry a `lock_version` (core.concurrency).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from competences.models import label_validator
from core import concurrency
from core.audit import audit_log
from core.merge import Merge, merge_texts
from fiches import notifications, tasks
from fiches.changes import change_counts
from fiches.enums import RevisionSource, SuggestionStatus
from fiches.models import (
    Comment,
    CommentReport,
    Fiche,
    FicheVersion,
    Follow,
    PersonalFiche,
    PersonalSection,
    Revision,
    Section,
    Suggestion,
    Support,
    VersionEntry,
)
from fiches.rendering import StructuredError, prepare_body

# Lengths of what people type, in characters (the forms check them before any work): a section's
# text, a suggestion, a personal section; a comment, a rationale, a reason, one's local specifics;
# what a published version changes.
MAX_BODY_LENGTH = 20_000
MAX_MESSAGE_LENGTH = 5_000
MAX_SUMMARY_LENGTH = 2_000


class FicheError(ValidationError):
    """A business rule refused the operation; the message is for the user."""


class EditConflict(FicheError):
    """The section changed after the editor opened it: `current` is the revision now in force."""

    def __init__(self, current: Revision | None):
        super().__init__(
            _(
                "Cette section a été modifiée pendant que vous la rédigiez. Votre texte est conservé ci-dessous : "
                "comparez-le au texte actuel, fusionnez puis enregistrez de nouveau."
            )
        )
        self.current = current


class SectionChanged(FicheError):
    """The section changed while a suggestion was being written on `base`: `merge` carries it onto `current`."""

    def __init__(self, *, base: Revision | None, current: Revision, merge: Merge):
        if merge.clean:
            message = _(
                "La section a été modifiée pendant que vous rédigiez votre proposition : vos changements ont été "
                "reportés sur le nouveau texte, ci-dessous. Vérifiez-le, puis enregistrez de nouveau."
            )
        else:
            message = _(
                "La section a été modifiée pendant que vous rédigiez votre proposition, aux mêmes endroits que "
                "vous : votre texte est conservé ci-dessous. Comparez-le à ce qui a changé, reprenez ce qu'il faut "
                "garder, puis enregistrez de nouveau."
            )
        super().__init__(message)
        self.base, self.current, self.merge = base, current, merge


class SuggestionConflict(FicheError):
    """Accepting is refused: the section changed, since the suggestion was written, where it changes it too."""

    def __init__(self, *, suggestion: Suggestion, merge: Merge):
        super().__init__(
            _(
                "La section a changé aux mêmes endroits depuis que cette proposition a été rédigée : elle ne peut "
                "pas être acceptée telle quelle, sans défaire ce qui a été écrit entre-temps. Son auteur·rice en est "
                "prévenu·e et doit la mettre à jour sur le texte actuel."
            )
        )
        self.suggestion, self.merge = suggestion, merge


def suggestion_rebase(*, base: Revision | None, body: str, current: Revision | None) -> Merge:
    """`body`, written on `base`, carried onto `current`: only its own changes, nothing others wrote undone."""
    return merge_texts(base.body if base else "", body, current.body if current else "")


def _check_base(section: Section, base_revision_id: int | None, body: str) -> None:
    """Refuse a text written on an older revision than the current one, with its rebased version."""
    if base_revision_id is None or base_revision_id == section.current_revision_id:
        return
    base = Revision.objects.filter(pk=base_revision_id, section=section).first()
    current = section.current_revision
    raise SectionChanged(base=base, current=current, merge=suggestion_rebase(base=base, body=body, current=current))


def _locked_section(section_id: int) -> Section:
    try:
        return Section.objects.select_for_update().get(pk=section_id)
    except Section.DoesNotExist:
        raise FicheError(_("Cette section n'existe plus.")) from None


def _locked_suggestion(suggestion_id: int) -> Suggestion:
    try:
        return Suggestion.objects.select_for_update().get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise FicheError(_("Cette proposition n'existe pas.")) from None


def _clean_body(section: Section, body: str) -> tuple[str, str]:
    if len(body or "") > MAX_BODY_LENGTH:
        raise FicheError(_("Le texte est trop long (%(max)s caractères au plus).") % {"max": MAX_BODY_LENGTH})
    try:
        return prepare_body(section.kind, body)
    except StructuredError as error:
        raise FicheError(str(error)) from None


def _clean_message(text: str, *, empty_message: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise FicheError(empty_message)
    if len(text) > MAX_MESSAGE_LENGTH:
        raise FicheError(_("Le message est trop long (%(max)s caractères au plus).") % {"max": MAX_MESSAGE_LENGTH})
    return text


def _add_revision(
    *,
    section: Section,
    body: str,
    body_html: str,
    source: str,
    author,
    committed_by,
    summary: str = "",
    suggestion: Suggestion | None = None,
    restored_from: Revision | None = None,
) -> Revision:
    # The caller holds the lock on the section row, so numbers cannot collide.
    last = section.revisions.aggregate(last=Max("number"))["last"] or 0
    parent = section.current_revision
    words_added, words_removed = change_counts(parent.body if parent else "", body)
    revision = Revision.objects.create(
        section=section,
        number=last + 1,
        parent=parent,
        body=body,
        body_html=body_html,
        summary=(summary or "").strip()[:255],
        words_added=words_added,
        words_removed=words_removed,
        source=source,
        author=author,
        committed_by=committed_by,
        suggestion=suggestion,
        restored_from=restored_from,
    )
    section.current_revision = revision
    section.save(update_fields=["current_revision"])
    return revision


@transaction.atomic
def section_create(*, fiche: Fiche, key: str, title: str, kind: str, body: str, order: int, actor=None) -> Section:
    """Add a section to `fiche` with its first revision."""
    section = Section.objects.create(fiche=fiche, key=key, title=title, kind=kind, order=order)
    body, body_html = _clean_body(section, body)
    _add_revision(
        section=section,
        body=body,
        body_html=body_html,
        source=RevisionSource.CREATED,
        author=actor,
        committed_by=actor,
        summary=_("Rédaction initiale"),
    )
    return section


@transaction.atomic
def section_edit(*, section_id: int, base_revision_id: int | None, body: str, summary: str, actor) -> Revision:
    """Save a curator's new text; refused with EditConflict when the section changed since `base_revision_id`."""
    section = _locked_section(section_id)
    if section.current_revision_id != base_revision_id:
        raise EditConflict(section.current_revision)
    body, body_html = _clean_body(section, body)
    if section.current_revision and body == section.current_revision.body:
        raise FicheError(_("Le texte est identique au texte actuel : il n'y a rien à enregistrer."))
    revision = _add_revision(
        section=section,
        body=body,
        body_html=body_html,
        source=RevisionSource.EDIT,
        author=actor,
        committed_by=actor,
        summary=summary,
    )
    audit_log(actor=actor, action="fiches.section.edited", target=section, data={"revision": revision.number})
    return revision


@transaction.atomic
def revision_restore(*, revision_id: int, actor) -> Revision:
    """Bring back an older revision's content as a new revision (history keeps everything)."""
    try:
        old = Revision.objects.get(pk=revision_id)
    except Revision.DoesNotExist:
        raise FicheError(_("Cette révision n'existe pas.")) from None
    section = _locked_section(old.section_id)
    current = section.current_revision
    if current is not None and current.body == old.body:
        raise FicheError(_("Cette révision a le même contenu que le texte actuel : rien à restaurer."))
    revision = _add_revision(
        section=section,
        body=old.body,
        body_html=old.body_html,
        source=RevisionSource.RESTORE,
        author=actor,
        committed_by=actor,
        summary=_("Restauration de la révision %(number)s") % {"number": old.number},
        restored_from=old,
    )
    audit_log(actor=actor, action="fiches.revision.restored", target=section, data={"from": old.number})
    return revision


# Suggestions ---------------------------------------------------------------------------------


def _check_suggested_body(section: Section, body: str) -> str:
    if not (body or "").strip():
        raise FicheError(_("Le texte proposé est vide."))
    body, _html = _clean_body(section, body)
    if section.current_revision and body == section.current_revision.body:
        raise FicheError(_("Le texte proposé est identique au texte actuel : modifiez-le avant de l'envoyer."))
    return body


@transaction.atomic
def suggestion_create(
    *, section_id: int, author, body: str, rationale: str, base_revision_id: int | None = None
) -> Suggestion:
    """A member proposes a new text for a section, with a rationale; they follow it from then on.

    `base_revision_id` is the revision the text was written on: SectionChanged when it is no longer current.
    """
    section = _locked_section(section_id)
    if section.current_revision_id is None:
        raise FicheError(_("Cette section n'a pas encore de texte."))
    rationale = _clean_message(rationale, empty_message=_("Expliquez pourquoi vous proposez cette modification."))
    body = _check_suggested_body(section, body)
    _check_base(section, base_revision_id, body)
    suggestion = Suggestion.objects.create(
        section=section, author=author, base_revision_id=section.current_revision_id, body=body, rationale=rationale
    )
    follow_set(user=author, target=suggestion, following=True)
    return suggestion


@transaction.atomic
def suggestion_update(
    *,
    suggestion_id: int,
    author,
    body: str,
    rationale: str,
    lock_version: int | None = None,
    base_revision_id: int | None = None,
) -> Suggestion:
    """The author rewrites their open suggestion on the section's current text (rebases it).

    `lock_version` is the suggestion's as the form was opened (EditConflict when saved since, in
    another tab); `base_revision_id` the revision the text was written on (SectionChanged when old).
    """
    suggestion = _locked_suggestion(suggestion_id)
    if suggestion.author_id != author.pk:
        raise FicheError(_("Seul·e l'auteur·rice d'une proposition peut la mettre à jour."))
    if not suggestion.is_open:
        raise FicheError(_("Cette proposition a déjà été traitée : elle ne peut plus être modifiée."))
    concurrency.version_claim(suggestion, expected=lock_version)
    section = _locked_section(suggestion.section_id)
    suggestion.rationale = _clean_message(
        rationale, empty_message=_("Expliquez pourquoi vous proposez cette modification.")
    )
    suggestion.body = _check_suggested_body(section, body)
    _check_base(section, base_revision_id, suggestion.body)
    suggestion.base_revision_id = section.current_revision_id
    suggestion.save(update_fields=["rationale", "body", "base_revision", "updated_at", "lock_version"])
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion_id: int, actor) -> Suggestion:
    """The author withdraws their open suggestion."""
    suggestion = _locked_suggestion(suggestion_id)
    if suggestion.author_id != actor.pk:
        raise FicheError(_("Seul·e l'auteur·rice d'une proposition peut la retirer."))
    if not suggestion.is_open:
        raise FicheError(_("Cette proposition a déjà été traitée."))
    suggestion.status = SuggestionStatus.WITHDRAWN
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_at", "updated_at"])
    return suggestion


def suggestion_accept(*, suggestion_id: int, actor, summary: str = "") -> Revision:
    """A curator accepts a suggestion: its changes become the section's new revision, credited to its author.

    Written on an older revision, its changes are merged onto the current text; where the section
    changed at the same places, SuggestionConflict refuses it and its author is told.
    """
    try:
        return _suggestion_accept(suggestion_id=suggestion_id, actor=actor, summary=summary)
    except SuggestionConflict as conflict:
        # After the refused transaction: the notice must outlive its rollback.
        with transaction.atomic():
            notifications.suggestion_conflicted(suggestion=conflict.suggestion, actor=actor)
        raise


@transaction.atomic
def _suggestion_accept(*, suggestion_id: int, actor, summary: str) -> Revision:
    suggestion = _locked_suggestion(suggestion_id)
    if not suggestion.is_open:
        raise FicheError(
            _("Cette proposition a déjà été traitée (%(status)s).") % {"status": suggestion.get_status_display()}
        )
    section = _locked_section(suggestion.section_id)
    current = section.current_revision
    body = suggestion.body
    if suggestion.base_revision_id != section.current_revision_id:
        merge = suggestion_rebase(base=suggestion.base_revision, body=suggestion.body, current=current)
        if not merge.clean:
            raise SuggestionConflict(suggestion=suggestion, merge=merge)
        if merge.text == current.body:
            raise FicheError(
                _("Les changements de cette proposition figurent déjà dans le texte actuel : il n'y a rien à accepter.")
            )
        body = merge.text
    body, body_html = _clean_body(section, body)
    if not summary and body != suggestion.body:
        summary = _("Proposition n° %(number)s acceptée, reportée sur la révision %(revision)s") % {
            "number": suggestion.pk,
            "revision": current.number,
        }
    revision = _add_revision(
        section=section,
        body=body,
        body_html=body_html,
        source=RevisionSource.SUGGESTION,
        author=suggestion.author,
        committed_by=actor,
        summary=summary or _("Proposition n° %(number)s acceptée") % {"number": suggestion.pk},
        suggestion=suggestion,
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_log(actor=actor, action="fiches.suggestion.accepted", target=suggestion, data={"revision": revision.pk})
    notifications.suggestion_decided(suggestion=suggestion, actor=actor)
    return revision


@transaction.atomic
def suggestion_reject(*, suggestion_id: int, actor, reason: str) -> Suggestion:
    """A curator rejects a suggestion, saying why."""
    reason = _clean_message(reason, empty_message=_("Indiquez le motif du refus."))
    suggestion = _locked_suggestion(suggestion_id)
    if not suggestion.is_open:
        raise FicheError(
            _("Cette proposition a déjà été traitée (%(status)s).") % {"status": suggestion.get_status_display()}
        )
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.decision_reason = reason
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    audit_log(actor=actor, action="fiches.suggestion.rejected", target=suggestion, data={"reason": reason})
    notifications.suggestion_decided(suggestion=suggestion, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_support(*, suggestion_id: int, user) -> Support:
    """A member supports an open suggestion, once."""
    suggestion = _locked_suggestion(suggestion_id)
    if not suggestion.is_open:
        raise FicheError(_("On ne peut soutenir qu'une proposition ouverte."))
    if suggestion.author_id == user.pk:
        raise FicheError(_("Vous ne pouvez pas soutenir votre propre proposition."))
    if Support.objects.filter(suggestion=suggestion, user=user).exists():
        raise FicheError(_("Vous soutenez déjà cette proposition."))
    try:
        with transaction.atomic():
            return Support.objects.create(suggestion=suggestion, user=user)
    except IntegrityError:
        raise FicheError(_("Vous soutenez déjà cette proposition.")) from None


@transaction.atomic
def suggestion_unsupport(*, suggestion_id: int, user) -> None:
    """A member withdraws their support of an open suggestion."""
    suggestion = _locked_suggestion(suggestion_id)
    if not suggestion.is_open:
        raise FicheError(_("Cette proposition est close : son soutien ne peut plus changer."))
    deleted, _rows = Support.objects.filter(suggestion=suggestion, user=user).delete()
    if not deleted:
        raise FicheError(_("Vous ne soutenez pas cette proposition."))


# Discussion and moderation --------------------------------------------------------------------


@transaction.atomic
def comment_create(*, suggestion_id: int, author, body: str, parent_id: int | None = None) -> Comment:
    """Add a message to a suggestion's discussion (a reply to a reply joins the same thread)."""
    try:
        suggestion = Suggestion.objects.get(pk=suggestion_id)
    except Suggestion.DoesNotExist:
        raise FicheError(_("Cette proposition n'existe pas.")) from None
    body = _clean_message(body, empty_message=_("Le message est vide."))
    parent = None
    if parent_id:
        parent = Comment.objects.filter(pk=parent_id, suggestion=suggestion).first()
        if parent is None:
            raise FicheError(_("Le message auquel vous répondez n'existe pas."))
        if parent.parent_id:
            parent = parent.parent
    comment = Comment.objects.create(suggestion=suggestion, author=author, body=body, parent=parent)
    notifications.suggestion_commented(comment=comment, actor=author)
    follow_set(user=author, target=suggestion, following=True)
    return comment


@transaction.atomic
def comment_report(*, comment_id: int, reporter, reason: str) -> CommentReport:
    """A member reports a comment as inappropriate, once."""
    reason = _clean_message(reason, empty_message=_("Indiquez pourquoi ce message vous semble inapproprié."))[:255]
    comment = Comment.objects.filter(pk=comment_id).first()
    if comment is None:
        raise FicheError(_("Ce message n'existe pas."))
    if comment.is_hidden:
        raise FicheError(_("Ce message est déjà masqué."))
    if CommentReport.objects.filter(comment=comment, reporter=reporter).exists():
        raise FicheError(_("Vous avez déjà signalé ce message."))
    report = CommentReport.objects.create(comment=comment, reporter=reporter, reason=reason)
    notifications.comment_reported(report=report)
    return report


@transaction.atomic
def comment_hide(*, comment_id: int, actor, reason: str) -> Comment:
    """A curator hides a comment, with a reason kept in the audit log."""
    reason = _clean_message(reason, empty_message=_("Indiquez le motif du masquage."))[:255]
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise FicheError(_("Ce message n'existe pas."))
    if comment.is_hidden:
        raise FicheError(_("Ce message est déjà masqué."))
    comment.hidden_at = timezone.now()
    comment.hidden_by = actor
    comment.hidden_reason = reason
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audit_log(actor=actor, action="fiches.comment.hidden", target=comment, data={"reason": reason})
    return comment


@transaction.atomic
def comment_reports_dismiss(*, comment_id: int, actor, reason: str) -> int:
    """A curator classes the reports on a comment without action: the comment stays, the queue forgets it."""
    reason = _clean_message(reason, empty_message=_("Indiquez pourquoi ces signalements sont classés sans suite."))[
        :255
    ]
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise FicheError(_("Ce message n'existe pas."))
    dismissed = CommentReport.objects.filter(comment=comment, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=actor, dismissal_reason=reason
    )
    if not dismissed:
        raise FicheError(_("Aucun signalement de ce message n'attend de décision."))
    audit_log(
        actor=actor,
        action="fiches.comment.reports_dismissed",
        target=comment,
        data={"reason": reason, "reports": dismissed},
    )
    return dismissed


@transaction.atomic
def comment_restore(*, comment_id: int, actor, reason: str) -> Comment:
    """A curator shows a hidden comment again (a mistake, an appeal), with a reason kept in the audit log."""
    reason = _clean_message(reason, empty_message=_("Indiquez pourquoi ce message est rétabli."))[:255]
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise FicheError(_("Ce message n'existe pas."))
    if not comment.is_hidden:
        raise FicheError(_("Ce message n'est pas masqué."))
    comment.hidden_at = None
    comment.hidden_by = None
    comment.hidden_reason = ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    # Reports that led to the hiding are settled by this decision.
    CommentReport.objects.filter(comment=comment, dismissed_at__isnull=True).update(
        dismissed_at=timezone.now(), dismissed_by=actor, dismissal_reason=reason
    )
    audit_log(actor=actor, action="fiches.comment.restored", target=comment, data={"reason": reason})
    return comment


# Versions -------------------------------------------------------------------------------------


@transaction.atomic
def version_publish(*, fiche_id: int, label: str, summary: str, actor) -> FicheVersion:
    """Publish the fiche as it stands: every section's current revision is frozen in the version."""
    fiche = Fiche.objects.select_for_update().get(pk=fiche_id)
    label = (label or "").strip()
    if not label:
        raise FicheError(_("Indiquez un libellé de version, par exemple « v1.1 »."))
    # The label goes into the version's permanent link: the référentiel's rule keeps it routable.
    try:
        label_validator(label)
    except ValidationError as error:
        raise FicheError(error.messages) from None
    if FicheVersion.objects.filter(fiche=fiche, label=label).exists():
        raise FicheError(_("Une version « %(label)s » existe déjà.") % {"label": label})
    # Lock every section so that no edit slips in between reading and freezing.
    sections = list(Section.objects.select_for_update().filter(fiche=fiche).order_by("order", "pk"))
    if not sections or any(section.current_revision_id is None for section in sections):
        raise FicheError(_("Chaque section doit avoir un texte avant la publication."))
    latest = FicheVersion.objects.latest_of(fiche)
    if latest is not None:
        frozen = dict(latest.entries.values_list("section_id", "revision_id"))
        if frozen == {section.pk: section.current_revision_id for section in sections}:
            raise FicheError(_("Rien n'a changé depuis la version %(label)s.") % {"label": latest.label})
    version = FicheVersion.objects.create(
        fiche=fiche, label=label, summary=(summary or "").strip(), published_at=timezone.now(), published_by=actor
    )
    VersionEntry.objects.bulk_create(
        VersionEntry(
            version=version,
            section=section,
            revision_id=section.current_revision_id,
            title=section.title,
            order=position,
        )
        for position, section in enumerate(sections, 1)
    )
    audit_log(actor=actor, action="fiches.version.published", target=version, data={"label": label})
    notifications.version_published(version=version, actor=actor)
    # The PDF is ready before anyone asks for it; if this fails, the download renders it instead.
    transaction.on_commit(lambda: tasks.version_pdf_prerender.enqueue(version.pk), robust=True)
    return version


# Participation --------------------------------------------------------------------------------


def follow_set(*, user, target, following: bool) -> None:
    """Start or stop following a fiche, a section or a suggestion."""
    field = Follow.field_for(target)
    if following:
        Follow.objects.get_or_create(user=user, **{field: target})
    else:
        Follow.objects.filter(user=user, **{field: target}).delete()


# Ma fiche de poste ------------------------------------------------------------------------------


@transaction.atomic
def personal_fiche_create(
    *, owner, fiche: Fiche, job_title: str, employer: str = "", time_share: int | None = None, local_context: str = ""
) -> PersonalFiche:
    """Copy the latest published version of `fiche` into a private fiche for `owner`."""
    version = FicheVersion.objects.latest_of(fiche)
    if version is None:
        raise FicheError(_("La fiche commune n'a pas encore de version publiée à copier."))
    if PersonalFiche.objects.filter(owner=owner, source=fiche).exists():
        raise FicheError(_("Vous avez déjà votre fiche de poste personnelle."))
    personal = PersonalFiche.objects.create(
        owner=owner,
        source=fiche,
        copied_from=version,
        job_title=(job_title or "").strip() or fiche.title,
        employer=(employer or "").strip(),
        time_share=time_share,
        local_context=(local_context or "").strip(),
    )
    PersonalSection.objects.bulk_create(
        PersonalSection(
            personal_fiche=personal,
            section_id=entry.section_id,
            base_revision=entry.revision,
            title=entry.title,
            order=entry.order,
            body=entry.revision.body,
            body_html=entry.revision.body_html,
        )
        for entry in version.entries.select_related("revision")
    )
    return personal


def _owned_personal_section(personal_section_id: int, owner) -> PersonalSection:
    personal_section = (
        PersonalSection.objects.select_for_update()
        .select_related("section", "base_revision")
        .filter(pk=personal_section_id, personal_fiche__owner=owner)
        .first()
    )
    if personal_section is None:
        raise FicheError(_("Cette section n'existe pas dans votre fiche."))
    return personal_section


@transaction.atomic
def personal_fiche_update(*, personal_fiche: PersonalFiche, owner, lock_version: int | None = None) -> PersonalFiche:
    """Save the member's changes to their fiche's job details; EditConflict when saved since (another tab)."""
    if personal_fiche.pk is None or personal_fiche.owner_id != owner.pk:
        raise FicheError(_("Cette fiche de poste n'est pas la vôtre."))
    concurrency.version_claim(personal_fiche, expected=lock_version)
    personal_fiche.save()
    return personal_fiche


@transaction.atomic
def personal_section_edit(
    *,
    personal_section_id: int,
    owner,
    body: str,
    integrate_revision_id: int | None = None,
    lock_version: int | None = None,
) -> PersonalSection:
    """Save the member's own text for a section; `integrate_revision_id` marks a common change as taken in.

    `lock_version` is the section's as the form was opened: EditConflict when it was saved since.
    """
    personal_section = _owned_personal_section(personal_section_id, owner)
    concurrency.version_claim(personal_section, expected=lock_version)
    personal_section.body, personal_section.body_html = _clean_body(personal_section.section, body)
    if integrate_revision_id is not None:
        personal_section.base_revision = Revision.objects.get(
            pk=integrate_revision_id, section=personal_section.section
        )
    personal_section.save(update_fields=["body", "body_html", "base_revision"])
    return personal_section


@transaction.atomic
def personal_section_integrate(*, personal_section_id: int, owner) -> PersonalSection:
    """Take in the latest published common text of a section the member has not changed locally."""
    personal_section = _owned_personal_section(personal_section_id, owner)
    latest = (
        VersionEntry.objects.filter(version=FicheVersion.objects.latest_of(personal_section.section.fiche))
        .filter(section=personal_section.section)
        .select_related("revision")
        .first()
    )
    if latest is None or latest.revision_id == personal_section.base_revision_id:
        raise FicheError(_("Cette section est déjà à jour avec la fiche commune."))
    if personal_section.is_modified:
        raise FicheError(_("Vous avez adapté cette section : intégrez les changements à la main dans votre texte."))
    concurrency.version_claim(personal_section, expected=None)  # an editor open in another tab is now stale
    personal_section.body = latest.revision.body
    personal_section.body_html = latest.revision.body_html
    personal_section.base_revision = latest.revision
    personal_section.save(update_fields=["body", "body_html", "base_revision"])
    return personal_section
