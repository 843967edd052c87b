"""Export any visible version; import a file into a new draft (CNCD team)."""

import dataclasses

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import FrameworkVersion, label_validator
from core.permissions import curator_required, public
from referentiel import services
from referentiel.formats import format_choices, get_format, read_file
from referentiel.formats.common import MAX_IMPORT_BYTES, MAX_IMPORT_MB
from referentiel.formats.tree import ROLE_CHOICES, tree_from_json, tree_levels, tree_to_json
from referentiel.framework import (
    ActivityData,
    AlignmentData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
)
from referentiel.importing import (
    SCALE_PUBLISHED,
    SCALE_TYPED,
    ImportChoices,
    label_problems,
    preview,
    published_scale,
)
from referentiel.selectors import version_export

SESSION_KEY = "competences_import"


@public
def export(request, label, file_format):
    version = get_object_or_404(FrameworkVersion.objects.visible_to(request.user), label=label)
    registered = get_format(file_format)
    if registered is None:
        raise Http404
    response = HttpResponse(version_export(version, registered), content_type=registered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{registered.filename(version.label)}"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        help_text=format_lazy(
            gettext_lazy("{size} Mo au plus. Encodage UTF-8 (avec ou sans BOM) ou Latin-1."), size=MAX_IMPORT_MB
        ),
    )
    file_format = forms.ChoiceField(label=gettext_lazy("Format"), choices=format_choices)
    label = forms.CharField(
        label=gettext_lazy("Libellé du brouillon créé"), max_length=20, validators=[label_validator]
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Le fichier est trop volumineux (%(size)s Mo au plus).") % {"size": MAX_IMPORT_MB})
        return upload


def _data_from_session(payload: dict) -> FrameworkData:
    data = FrameworkData(
        label=payload["label"], summary=payload["summary"], field_names=dict(payload.get("field_names") or {})
    )
    data.scale = [LevelData(**item) for item in payload["scale"]]
    data.domains = [DomainData(**item) for item in payload["domains"]]
    data.competences = [
        CompetenceData(
            **{
                **item,
                "levels": {int(k): v for k, v in item["levels"].items()},
                "alignments": [AlignmentData(**a) for a in item.get("alignments", [])],
            }
        )
        for item in payload["competences"]
    ]
    data.missions = [MissionData(**item) for item in payload["missions"]]
    data.activities = [ActivityData(**item) for item in payload["activities"]]
    return data


class MappingForm(forms.Form):
    """The role of each level of a foreign file's tree, and the scale when the file has none."""

    def __init__(self, *args, levels, needs_scale: bool, published: list[LevelData], **kwargs):
        super().__init__(*args, **kwargs)
        for level in levels:
            self.fields[level.field_name] = forms.ChoiceField(
                label=_("Niveau %(depth)s") % {"depth": level.depth}, choices=ROLE_CHOICES
            )
        if needs_scale:
            choices = [
                (
                    SCALE_PUBLISHED,
                    _("Reprendre l'échelle de la version publiée : %(levels)s")
                    % {"levels": ", ".join(level.label for level in published)},
                ),
                (SCALE_TYPED, _("Saisir les niveaux ci-dessous")),
            ]
            self.fields["echelle"] = forms.ChoiceField(
                label=_("Échelle de niveaux"),
                choices=choices if published else choices[1:],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields["echelle_niveaux"] = forms.CharField(
                label=_("Niveaux de l'échelle, un par ligne, du plus bas au plus haut"),
                widget=forms.Textarea(attrs={"rows": 5}),
                required=False,
                max_length=2000,
            )

    def level_fields(self):
        return [self[name] for name in self.fields if name.startswith("niveau_")]

    def choices(self, levels) -> ImportChoices:
        data = self.cleaned_data
        typed = data.get("echelle_niveaux", "")
        return ImportChoices(
            roles={level.depth: data[level.field_name] for level in levels},
            # Levels typed without ticking "Saisir les niveaux" mean it all the same.
            scale=data.get("echelle") or (SCALE_TYPED if typed.strip() else ""),
            scale_levels=typed,
        )


def _mapping_form(tree, choices: ImportChoices, post=None) -> MappingForm:
    """The preview's form, holding what the curator chose (the stored choices where the post says nothing)."""
    levels = tree_levels(tree)
    initial = {
        **{level.field_name: choices.roles.get(level.depth, level.default_role) for level in levels},
        "echelle": choices.scale,
        "echelle_niveaux": choices.scale_levels,
    }
    data = None
    if post is not None:
        data = dict(initial)
        data.update({key: post[key] for key in post if key in initial})
    return MappingForm(data, initial=initial, levels=levels, needs_scale=not tree.scale, published=published_scale())


PREVIEW_ITEMS = 60


def _preview_tree(data: FrameworkData, limit: int = PREVIEW_ITEMS) -> tuple[list[dict], int]:
    """The first items of the draft as nested nodes (domains, their competences and sub-domains; missions and
    their activities), and how many are left out."""
    shown = 0
    children: dict[str, list[DomainData]] = {}
    for domain in data.domains:
        children.setdefault(domain.parent, []).append(domain)
    competences: dict[str, list[CompetenceData]] = {}
    for competence in data.competences:
        competences.setdefault(competence.domain, []).append(competence)

    def take(kind, item):
        nonlocal shown
        if shown >= limit:
            return None
        shown += 1
        return {"kind": kind, "code": item.code, "title": item.title, "children": []}

    def domain_node(domain, depth=0):
        node = take(_("Domaine"), domain)
        if node is None or depth > 20:
            return node
        node["children"] = [n for n in (take(_("Compétence"), c) for c in competences.get(domain.code, [])) if n]
        node["children"] += [n for n in (domain_node(d, depth + 1) for d in children.get(domain.code, [])) if n]
        return node

    roots = [n for n in (domain_node(d) for d in children.get("", [])) if n]
    for mission in data.missions:
        node = take(_("Mission"), mission)
        if node is None:
            break
        node["children"] = [
            n for n in (take(_("Activité"), a) for a in data.activities if a.mission == mission.code) if n
        ]
        roots.append(node)
    total = len(data.domains) + len(data.competences) + len(data.missions) + len(data.activities)
    return roots, max(total - shown, 0)


def _render(request, *, form=None, problems=(), result=None, mapping=None):
    """The import page: the upload form, or the preview of what the draft would hold (with its problems)."""
    problems = [*problems, *(result.problems if result is not None else [])]
    context = {"form": form or ImportForm(), "problems": problems, "preview": None, "mapping": mapping}
    if result is not None:
        context["preview"] = result.data
        context["result"] = result
        context["preview_tree"], context["preview_more"] = _preview_tree(result.data)
    if mapping is not None:
        context["levels_and_fields"] = list(zip(result.levels, mapping.level_fields(), strict=True))
        context["scale_fields"] = (
            (mapping["echelle"], mapping["echelle_niveaux"]) if "echelle" in mapping.fields else None
        )
    return render(request, "referentiel/framework_import.html", context)


@curator_required
def import_file(request):
    if request.method == "POST" and ("confirm" in request.POST or "apply" in request.POST):
        payload = request.session.get(SESSION_KEY)
        if not payload:
            messages.error(request, _("L'aperçu a expiré : chargez le fichier à nouveau."))
            return redirect("referentiel:import")
        if payload.get("tree") is None:
            return _confirm(request, payload, _data_from_session(payload["data"]))
        return _remap(request, payload)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form=form)
    upload = form.cleaned_data["file"]
    raw = upload.read(MAX_IMPORT_BYTES + 1)
    result = read_file(raw=raw, file_format=form.cleaned_data["file_format"])
    label = form.cleaned_data["label"]
    refused = label_problems(label)
    if refused:
        return _render(request, form=form, problems=[*result.problems, *refused])
    payload = {"label": label, "name": upload.name[:200], "format": form.cleaned_data["file_format"]}
    if result.tree is not None:
        # A foreign file: its tree is kept (not the file) so that the curator can map it again.
        choices = ImportChoices(roles=dict(result.roles))
        request.session[SESSION_KEY] = payload | {"tree": tree_to_json(result.tree), "choices": choices.to_json()}
        return _render(
            request,
            result=_with_label(preview(result.tree, choices), label),
            mapping=_mapping_form(result.tree, choices),
        )
    if result.problems:
        return _render(request, form=form, problems=result.problems)
    result.data.label = label
    request.session[SESSION_KEY] = payload | {"tree": None, "data": dataclasses.asdict(result.data)}
    return _render(request, result=result)


def _with_label(result, label):
    result.data.label = label
    return result


def _remap(request, payload):
    """Apply the roles and scale posted to the kept tree; on "confirm" with no problem, create the draft."""
    tree = tree_from_json(payload["tree"])
    choices = ImportChoices.from_json(payload.get("choices") or {})
    mapping = _mapping_form(tree, choices, request.POST)
    if mapping.is_valid():
        choices = mapping.choices(tree_levels(tree))
        payload["choices"] = choices.to_json()
        request.session[SESSION_KEY] = payload
    result = _with_label(preview(tree, choices), payload["label"])
    if "confirm" in request.POST and mapping.is_valid() and not result.problems:
        return _confirm(request, payload, result.data, mapping=mapping, result=result)
    return _render(request, result=result, mapping=mapping)


def _confirm(request, payload, data, *, mapping=None, result=None):
    try:
        draft = services.draft_create_from_data(
            data=data, label=payload["label"], actor=request.user, source_name=payload["name"]
        )
    except ValidationError as error:
        problems = [Problem(str(message)) for message in error.messages]
        return _render(request, problems=problems, result=result, mapping=mapping)
    del request.session[SESSION_KEY]
    messages.success(request, _("Le brouillon %(label)s a été créé à partir du fichier.") % {"label": draft.label})
    return redirect("referentiel:draft_edit", label=draft.label)
