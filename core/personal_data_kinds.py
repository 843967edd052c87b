"""What the ground floor itself keeps about a person: audit entries, background PDFs, archives, queued tasks.

Registered from `CoreConfig.ready()`. Shown last in the archive (`order`), so erased first: the audit
entries lose the person's identity while the account still holds their name and address, which tell
what to look for.
"""

import json

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.functional import lazy
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from core.models import AuditEntry, PdfExport, PersonalDataExport
from core.pdf_exports import pdf_export_kind
from core.personal_data import PersonalDataKind, StoredFile, personal_data_register

# How a person no longer named is shown (as members.User.__str__ shows an erased account).
FORMER_MEMBER = gettext_lazy("Ancien·ne membre")
# Keys of an audit entry's details that name a person: dropped from the entries about the person.
IDENTITY_KEYS = frozenset(
    {"email", "emails", "name", "names", "first_name", "last_name", "full_name", "display_name", "author"}
)
BATCH_SIZE = 500

PLATFORM_RECIPIENTS = gettext_lazy("L'équipe CNCD et les administrateur·rices de la plateforme.")


def _iso(value):
    return value.isoformat() if value is not None else None


def _account_target(user) -> Q:
    return Q(target_type=user._meta.label_lower, target_id=str(user.pk))


# --- Audit entries --------------------------------------------------------------------------------


def _needles(texts) -> list[str]:
    """The texts to look for, as typed and as a JSON column stores them (non-ASCII letters escaped)."""
    found = []
    for text in texts:
        text = (text or "").strip()
        if len(text) < 2:
            continue
        for form in (text, json.dumps(text)[1:-1]):
            if form not in found:
                found.append(form)
    return found


def _replace(text: str, needles: list[str]) -> str:
    lowered = text.lower()
    for needle in needles:
        start = lowered.find(needle.lower())
        while start != -1:
            text = text[:start] + str(FORMER_MEMBER) + text[start + len(needle) :]
            lowered = text.lower()
            start = lowered.find(needle.lower(), start + len(str(FORMER_MEMBER)))
    return text


def _scrub(value, needles: list[str], *, drop_identity_keys: bool):
    """`value` (an entry's details) with the needles replaced, and the keys naming people dropped if asked."""
    if isinstance(value, dict):
        return {
            key: _scrub(item, needles, drop_identity_keys=drop_identity_keys)
            for key, item in value.items()
            if not (drop_identity_keys and key in IDENTITY_KEYS)
        }
    if isinstance(value, list):
        return [_scrub(item, needles, drop_identity_keys=drop_identity_keys) for item in value]
    if isinstance(value, str):
        return _replace(value, needles)
    return value


def _audit_retention() -> str:
    # Quotes the setting `prune_audit_entries` applies, read when the text is shown.
    return _(
        "%(days)s jours, puis l'entrée est supprimée (sauf celles qui attestent la suppression d'un compte, "
        "sans nom) ; à la suppression de votre compte, les actions restent, sans votre nom."
    ) % {"days": settings.AUDIT_RETENTION_DAYS}


def audit_entries_export(user) -> list[dict]:
    entries = AuditEntry.objects.filter(Q(actor=user) | _account_target(user)).order_by("created_at", "pk")
    rows = []
    for entry in entries.iterator(chunk_size=BATCH_SIZE):
        about_account = entry.target_type == user._meta.label_lower and entry.target_id == str(user.pk)
        rows.append(
            {
                "date": _iso(entry.created_at),
                "action": entry.action,
                "role": _("auteur·rice") if entry.actor_id == user.pk else _("personne concernée"),
                "object": entry.target_repr,
                # What was recorded about the account (a refusal's reason); what the person did to
                # others' records is theirs to know only by its object.
                "details": entry.data if about_account else {},
            }
        )
    return rows


def audit_entries_erase(user) -> None:
    """Keep each event, without the person: no author, no name or address in its object or details."""
    about = Q(actor=user) | _account_target(user)
    close = _needles([user.email, user.get_full_name(), user.first_name, user.last_name])
    # Entries about someone else name the person only by their address or full name.
    far = _needles([user.email, user.get_full_name()])
    mentions = Q()
    for needle in far:
        mentions |= Q(target_repr__icontains=needle) | Q(data_text__icontains=needle)
    entries = AuditEntry.objects.annotate(data_text=Cast("data", TextField())).filter(about | mentions)
    batch = []
    for entry in entries.only("pk", "actor", "target_type", "target_id", "target_repr", "data").iterator(
        chunk_size=BATCH_SIZE
    ):
        is_about = entry.actor_id == user.pk or (
            entry.target_type == user._meta.label_lower and entry.target_id == str(user.pk)
        )
        if entry.actor_id == user.pk:
            entry.actor = None
        if entry.target_type == user._meta.label_lower and entry.target_id == str(user.pk):
            entry.target_repr = str(FORMER_MEMBER)
        else:
            entry.target_repr = _replace(entry.target_repr, close if is_about else far)[:255]
        entry.data = _scrub(entry.data, close if is_about else far, drop_identity_keys=is_about)
        batch.append(entry)
        if len(batch) >= BATCH_SIZE:
            AuditEntry.objects.bulk_update(batch, ["actor", "target_repr", "data"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["actor", "target_repr", "data"])
    _admin_log_erase(user, close=close, far=far)


def _admin_log_erase(user, *, close: list[str], far: list[str]) -> None:
    """The Django admin's own history: the account's entries lose its name, the others any mention of it."""
    account_type = ContentType.objects.get_for_model(user)
    LogEntry.objects.filter(content_type=account_type, object_id=str(user.pk)).update(object_repr=str(FORMER_MEMBER))
    mentions = Q()
    for needle in far:
        mentions |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
    if not mentions:
        return
    for entry in LogEntry.objects.filter(mentions).exclude(content_type=account_type, object_id=str(user.pk)):
        entry.object_repr = _replace(entry.object_repr, far)[:200]
        entry.change_message = _replace(entry.change_message, far)
        entry.save(update_fields=["object_repr", "change_message"])


def admin_log_export(user) -> list[dict]:
    entries = LogEntry.objects.filter(user=user).select_related("content_type").order_by("action_time", "pk")
    return [
        {
            "date": _iso(entry.action_time),
            "action": str(entry),
            "object_type": entry.content_type.name if entry.content_type else "",
            "object": entry.object_repr,
        }
        for entry in entries.iterator(chunk_size=BATCH_SIZE)
    ]


def admin_log_erase(user) -> None:
    # The entries stay attached to the anonymised account (the admin's history needs an author); what
    # they say about the person is removed with the audit entries (audit_entries_erase).
    return None


# --- Background PDFs and archives ---------------------------------------------------------------


def pdf_exports_export(user) -> list[dict]:
    return [
        {
            "document": export.kind_label,
            "requested_at": _iso(export.created_at),
            "status": export.get_status_display(),
            "finished_at": _iso(export.finished_at),
        }
        for export in PdfExport.objects.requested_by(user).order_by("created_at")
    ]


def pdf_exports_files(user):
    # Most documents print network figures, not the person: deleted with the request, not copied. A document
    # about the person (a portfolio: its kind says `personal`) is copied into the archive too.
    for export in PdfExport.objects.requested_by(user).exclude(file_name=""):
        kind = pdf_export_kind(export.kind)
        if kind is not None and kind.personal:
            name = get_valid_filename(f"{export.kind}-{export.created_at:%Y-%m-%d-%H%M}-{str(export.pk)[:8]}.pdf")
            yield StoredFile(default_storage, export.file_name, f"fichiers/documents-pdf/{name}")
        else:
            yield StoredFile(default_storage, export.file_name, "", in_archive=False)


def pdf_exports_erase(user) -> None:
    PdfExport.objects.requested_by(user).delete()


def archives_export(user) -> list[dict]:
    return [
        {
            "requested_at": _iso(export.created_at),
            "status": export.get_status_display(),
            "finished_at": _iso(export.finished_at),
        }
        for export in PersonalDataExport.objects.of_user(user).order_by("created_at")
    ]


def archives_files(user):
    # An earlier archive is never copied into the next one.
    for export in PersonalDataExport.objects.of_user(user).exclude(file_name=""):
        yield StoredFile(default_storage, export.file_name, "", in_archive=False)


def archives_erase(user) -> None:
    PersonalDataExport.objects.of_user(user).delete()


# --- Queued tasks ---------------------------------------------------------------------------------


def _tasks_for(user):
    needles = _needles([user.email])
    if not needles:
        return DBTaskResult.objects.none()
    mentions = Q()
    for needle in needles:
        mentions |= Q(args_text__icontains=needle)
    return DBTaskResult.objects.annotate(args_text=Cast("args_kwargs", TextField())).filter(mentions)


def tasks_export(user) -> list[dict]:
    return [
        {
            "task": task.task_path.rsplit(".", 1)[-1],
            "status": task.status,
            "queued_at": _iso(task.enqueued_at),
            "finished_at": _iso(task.finished_at),
        }
        for task in _tasks_for(user).order_by("enqueued_at")
    ]


def tasks_erase(user) -> None:
    # A message still waiting would reach an address the person asked us to forget.
    _tasks_for(user).delete()


def register() -> None:
    """Declare the ground floor's kinds of personal data (from `CoreConfig.ready()`)."""
    personal_data_register(
        PersonalDataKind(
            key="plateforme-journal",
            label=gettext_lazy("Journal des actions"),
            description=gettext_lazy(
                "Les actions que vous avez faites et qui sont tracées (validation d'un compte, publication, "
                "modération…) et celles qui concernent votre compte (validation, changement de rôle, "
                "double authentification) : date, action, objet et, pour votre compte, les détails notés."
            ),
            source=gettext_lazy("Enregistré automatiquement par la plateforme lors de ces actions."),
            purpose=gettext_lazy(
                "Pouvoir rendre compte des décisions prises sur la plateforme et de leurs auteur·rices."
            ),
            legal_basis=gettext_lazy("Intérêt légitime (RGPD, article 6.1.f) : la traçabilité des décisions."),
            retention=lazy(_audit_retention, str)(),
            recipients=gettext_lazy("Les administrateur·rices de la plateforme."),
            models=(AuditEntry,),
            export=audit_entries_export,
            erase=audit_entries_erase,
            order=900,
            columns=("date", "action", "role", "object", "details"),
        )
    )
    personal_data_register(
        PersonalDataKind(
            key="plateforme-administration",
            label=gettext_lazy("Actions dans l'administration technique"),
            description=gettext_lazy(
                "Les modifications que vous avez faites dans l'administration technique du site : date, "
                "action, type et nom de l'objet."
            ),
            source=gettext_lazy("Enregistré automatiquement par l'administration technique (Django)."),
            purpose=gettext_lazy("Pouvoir rendre compte des modifications faites hors des pages du site."),
            legal_basis=gettext_lazy("Intérêt légitime (RGPD, article 6.1.f) : la traçabilité des décisions."),
            retention=gettext_lazy(
                "Tant que la plateforme existe ; à la suppression de votre compte, elles restent attachées "
                "au compte anonymisé."
            ),
            recipients=gettext_lazy("Les administrateur·rices de la plateforme."),
            models=(LogEntry,),
            export=admin_log_export,
            erase=admin_log_erase,
            order=905,
            columns=("date", "action", "object_type", "object"),
        )
    )
    personal_data_register(
        PersonalDataKind(
            key="plateforme-exports-pdf",
            label=gettext_lazy("Documents PDF demandés"),
            description=gettext_lazy(
                "Les documents PDF que vous avez fait préparer (rapport « Chiffres du réseau », portfolio) : "
                "document, date de la demande, état. Les documents sur vous (portfolio) sont copiés dans "
                "l'archive ; les autres ne contiennent pas de données sur vous."
            ),
            source=gettext_lazy("Vos demandes sur les pages qui proposent un document PDF."),
            purpose=gettext_lazy("Vous remettre le document demandé."),
            legal_basis=gettext_lazy("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=gettext_lazy("24 heures, puis la demande et le document sont supprimés."),
            recipients=gettext_lazy("Vous seul·e."),
            models=(PdfExport,),
            export=pdf_exports_export,
            erase=pdf_exports_erase,
            files=pdf_exports_files,
            order=910,
            columns=("document", "requested_at", "status", "finished_at"),
        )
    )
    personal_data_register(
        PersonalDataKind(
            key="plateforme-archives",
            label=gettext_lazy("Archives de vos données"),
            description=gettext_lazy(
                "Vos demandes d'archive de vos données (comme celle-ci) : date de la demande, état."
            ),
            source=gettext_lazy("Vos demandes sur la page « Mes données personnelles »."),
            purpose=gettext_lazy("Vous remettre l'archive de vos données (droit d'accès et de portabilité)."),
            legal_basis=gettext_lazy("Obligation légale (RGPD, articles 15 et 20)."),
            retention=gettext_lazy("24 heures, puis la demande et l'archive sont supprimées."),
            recipients=gettext_lazy("Vous seul·e."),
            models=(PersonalDataExport,),
            export=archives_export,
            erase=archives_erase,
            files=archives_files,
            order=920,
            columns=("requested_at", "status", "finished_at"),
        )
    )
    personal_data_register(
        PersonalDataKind(
            key="plateforme-envois-en-attente",
            label=gettext_lazy("Envois en attente"),
            description=gettext_lazy(
                "Les e-mails et traitements en file d'attente qui portent votre adresse : tâche, état, dates."
            ),
            source=gettext_lazy("La plateforme, quand elle vous écrit (validation du compte, notifications…)."),
            purpose=gettext_lazy("Vous envoyer les e-mails prévus, même lorsque le serveur est chargé."),
            legal_basis=gettext_lazy("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=gettext_lazy("1 jour après l'envoi, 14 jours après un échec."),
            recipients=gettext_lazy("Les administrateur·rices techniques de la plateforme."),
            models=(DBTaskResult,),
            export=tasks_export,
            erase=tasks_erase,
            order=930,
            columns=("task", "status", "queued_at", "finished_at"),
        )
    )
