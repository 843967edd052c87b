"""Export any visible version; import a file into a new draft (CNCD team)."""

import dataclasses

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import FrameworkVersion, label_validator
from core.permissions import curator_required, public
from referentiel import services
from referentiel.formats import format_choices, get_format, read_file
from referentiel.formats.common import MAX_IMPORT_BYTES
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
    framework_snapshot,
)

SESSION_KEY = "competences_import"


@public
def export(request, label, file_format):
    version = get_object_or_404(FrameworkVersion.objects.visible_to(request.user), label=label)
    registered = get_format(file_format)
    if registered is None:
        raise Http404
    content = registered.writer(framework_snapshot(version), changed_at=version.published_at or version.created_at)
    response = HttpResponse(content, content_type=registered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{registered.filename(version.label)}"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=gettext_lazy("2 Mo au plus. Encodage UTF-8 (avec ou sans BOM) ou Latin-1."),
    )
    file_format = forms.ChoiceField(label=gettext_lazy("Format"), choices=format_choices)
    label = forms.CharField(
        label=gettext_lazy("Libellé du brouillon créé"), max_length=20, validators=[label_validator]
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Le fichier est trop volumineux (2 Mo au plus)."))
        return upload


def _data_from_session(payload: dict) -> FrameworkData:
    data = FrameworkData(label=payload["label"], summary=payload["summary"])
    data.scale = [LevelData(**item) for item in payload["scale"]]
    data.domains = [DomainData(**item) for item in payload["domains"]]
    data.competences = [
        CompetenceData(**{**item, "levels": {int(k): v for k, v in item["levels"].items()}})
        for item in payload["competences"]
    ]
    data.missions = [MissionData(**item) for item in payload["missions"]]
    data.activities = [ActivityData(**item) for item in payload["activities"]]
    return data


@curator_required
def import_file(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Problem] = []
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        payload = request.session.get(SESSION_KEY)
        if not payload:
            messages.error(request, _("L'aperçu a expiré : chargez le fichier à nouveau."))
            return redirect("referentiel:import")
        data = _data_from_session(payload["data"])
        try:
            draft = services.draft_create_from_data(
                data=data, label=payload["label"], actor=request.user, source_name=payload["name"]
            )
        except ValidationError as error:
            problems = [Problem(str(message)) for message in error.messages]
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request, _("Le brouillon %(label)s a été créé à partir du fichier.") % {"label": draft.label}
            )
            return redirect("referentiel:draft_edit", label=draft.label)
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(MAX_IMPORT_BYTES + 1)
        result = read_file(raw=raw, file_format=form.cleaned_data["file_format"])
        label = form.cleaned_data["label"]
        problems = list(result.problems)
        if FrameworkVersion.objects.filter(label=label).exists():
            problems.append(Problem(_("Une version « %(label)s » existe déjà.") % {"label": label}))
        if FrameworkVersion.objects.drafts().exists():
            problems.append(Problem(_("Un brouillon est déjà en cours : publiez-le ou supprimez-le d'abord.")))
        if not problems:
            result.data.label = label
            request.session[SESSION_KEY] = {
                "label": label,
                "name": upload.name[:200],
                "data": dataclasses.asdict(result.data),
            }
            preview = result.data
    context = {"form": form, "problems": problems, "preview": preview}
    return render(request, "referentiel/framework_import.html", context)
