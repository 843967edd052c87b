"""The register of processing (RGPD article 30) for the CNCD team, drawn from the personal data registry.

Nothing here is written by hand about the data: each row is a `PersonalDataKind` an app declares
(core.personal_data), the same declarations the privacy page lists, so the register cannot drift
from what the code keeps.
"""

import csv
import io
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.permissions import curator_required
from core.personal_data import PersonalDataKind, personal_data_kinds
from core.spreadsheets import neutralise


@dataclass(frozen=True)
class Processing:
    """One processing of the register: the kinds of data one app keeps, under its name."""

    name: str
    kinds: tuple[PersonalDataKind, ...]


def processing_name(kind: PersonalDataKind) -> str:
    """The processing a kind belongs to: the name of the app that declares it (else of its first model's app)."""
    # The declaring app, not the models' one: core declares what it keeps in Django's admin log and in
    # the task queue, whose apps have no French name of their own.
    app_config = apps.get_containing_app_config(kind.export.__module__)
    if app_config is None and kind.models:
        app_config = kind.models[0]._meta.app_config
    return str(app_config.verbose_name) if app_config is not None else _("Autres données")


def processings(kinds: list[PersonalDataKind] | None = None) -> list[Processing]:
    """The declared kinds grouped by processing, each group where its first kind comes in the registry's order."""
    groups: dict[str, list[PersonalDataKind]] = {}
    for kind in personal_data_kinds() if kinds is None else kinds:
        groups.setdefault(processing_name(kind), []).append(kind)
    return [Processing(name=name, kinds=tuple(group)) for name, group in groups.items()]


def model_names(kind: PersonalDataKind) -> str:
    """The models a kind covers, as `app.Model` (for the CSV: where to look in the database)."""
    return ", ".join(model._meta.label for model in kind.models)


@curator_required
@never_cache
def processing_register(request):
    register = processings()
    if request.GET.get("export") == "csv":
        return _csv_response(register)
    context = {
        "processings": register,
        "controller_name": settings.DATA_CONTROLLER_NAME,
        "controller_legal_form": settings.DATA_CONTROLLER_LEGAL_FORM,
    }
    return render(request, "core/register.html", context)


def _csv_response(register: list[Processing]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [
            _("Responsable du traitement"),
            _("Traitement"),
            _("Catégorie de données"),
            _("Description"),
            _("Source"),
            _("Finalité"),
            _("Base légale"),
            _("Durée de conservation"),
            _("Destinataires"),
            _("Modèles"),
        ]
    )
    for processing in register:
        for kind in processing.kinds:
            writer.writerow(
                neutralise(value)
                for value in [
                    settings.DATA_CONTROLLER_NAME,
                    processing.name,
                    kind.label,
                    kind.description,
                    kind.source,
                    kind.purpose,
                    kind.legal_basis,
                    kind.retention,
                    kind.recipients,
                    model_names(kind),
                ]
            )
    # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="registre-des-traitements-{stamp}.csv"'
    return response
