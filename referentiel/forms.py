from django import forms
from django.utils.translation import gettext_lazy as _

from competences.models import (
    MAX_DESCRIPTION_LENGTH,
    MAX_DESCRIPTOR_LENGTH,
    MAX_SUMMARY_LENGTH,
    Alignment,
    Competence,
    Domain,
    ScaleLevel,
    label_validator,
)
from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from missions.models import Activity, Mission


class DraftCreateForm(forms.Form):
    label = forms.CharField(
        label=_("Libellé de la nouvelle version"),
        max_length=20,
        validators=[label_validator],
        help_text=_("Par exemple « v2.0 ». Il apparaîtra dans les liens permanents."),
    )


class PublishForm(VersionTokenMixin, forms.Form):
    """Carries the draft's `lock_version` as shown on the page: publishing refuses a draft changed since."""

    summary = forms.CharField(
        label=_("Résumé des changements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_SUMMARY_LENGTH,
        help_text=_("Affiché dans l'historique des versions, pour le public et les membres."),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends qu'une version publiée ne pourra plus être modifiée."), required=True
    )


class VersionItemForm(VersionTokenMixin, forms.ModelForm):
    """Base form for an item of a draft: codes must be unique within the version; edits carry a version token."""

    def __init__(self, *args, version, **kwargs):
        self.version = version
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Stable d'une version à l'autre, par exemple « C-ANI-02 ».")
        self.fields["replaces"].help_text = _("Code de l'élément que celui-ci remplace, s'il y a lieu.")

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = type(self.instance).objects.filter(version=self.version, code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Ce code est déjà utilisé dans cette version."))
        return code


class MissionForm(VersionItemForm):
    class Meta:
        model = Mission
        fields = ["code", "title", "purpose", "replaces"]
        formfield_callback = text_limits(purpose=MAX_DESCRIPTION_LENGTH)
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(VersionItemForm):
    class Meta:
        model = Activity
        fields = ["code", "mission", "title", "description", "competences", "replaces"]
        formfield_callback = text_limits(description=MAX_DESCRIPTION_LENGTH)
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "competences": forms.CheckboxSelectMultiple}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["mission"].queryset = Mission.objects.of(version).order_by("order", "code")
        self.fields["competences"].queryset = Competence.objects.of(version).order_by("code")
        self.fields["title"].help_text = _("Commence par un verbe à l'infinitif, par exemple « Animer… ».")


class DomainForm(VersionItemForm):
    class Meta:
        model = Domain
        fields = ["code", "parent", "title", "description", "replaces"]
        formfield_callback = text_limits(description=MAX_DESCRIPTION_LENGTH)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        candidates = Domain.objects.of(version)
        if self.instance.pk:
            # Neither itself nor a domain under it: the tree would loop.
            candidates = candidates.exclude(pk__in=self.instance.descendants(include_self=True).values("pk"))
        self.fields["parent"].queryset = candidates.with_tree_fields().order_siblings_by("order", "code")
        self.fields["parent"].empty_label = _("— Aucun (domaine de premier niveau)")
        self.fields["parent"].label_from_instance = lambda domain: (
            f"{'— ' * domain.tree_depth}{domain.code} {domain.title}"
        )
        self.fields["parent"].help_text = _("Le domaine dans lequel celui-ci se range, à n'importe quelle profondeur.")


class CompetenceForm(VersionItemForm):
    class Meta:
        model = Competence
        fields = ["code", "domain", "title", "description", "kind", "transversal", "related", "replaces"]
        formfield_callback = text_limits(description=MAX_DESCRIPTION_LENGTH)
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "related": forms.CheckboxSelectMultiple}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["domain"].queryset = (
            Domain.objects.of(version).with_tree_fields().order_siblings_by("order", "code")
        )
        self.fields["domain"].label_from_instance = lambda domain: (
            f"{'— ' * domain.tree_depth}{domain.code} {domain.title}"
        )
        self.fields["related"].queryset = Competence.objects.of(version).exclude(pk=self.instance.pk).order_by("code")
        self.fields["related"].help_text = _(
            "Compétences proches ou complémentaires, dans cette version (lien dans les deux sens)."
        )
        existing = {}
        if self.instance.pk:
            existing = {level.value: level.descriptor for level in self.instance.levels.all()}
        for level in ScaleLevel.objects.of(version).order_by("value"):
            self.fields[f"level_{level.value}"] = forms.CharField(
                label=_("Niveau %(value)s (%(label)s) pour cette compétence")
                % {"value": level.value, "label": level.label},
                required=False,
                max_length=MAX_DESCRIPTOR_LENGTH,
                initial=existing.get(level.value, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Facultatif ; à défaut, le descripteur général du niveau s'applique."),
            )

    def level_descriptors(self) -> dict[int, str]:
        return {
            int(name.removeprefix("level_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("level_")
        }


class AlignmentForm(forms.ModelForm):
    """One link of a competence to an external framework's entry (entered, never fetched)."""

    class Meta:
        model = Alignment
        fields = ["relation", "scheme", "code", "uri", "title"]
        help_texts = {
            "code": _("Par exemple « K1802 » (ROME), « RNCP35185BC02 » (RNCP)."),
            "uri": _("Par exemple http://data.europa.eu/esco/skill/… (ESCO)."),
        }


AlignmentFormSet = forms.inlineformset_factory(
    Competence, Alignment, form=AlignmentForm, extra=2, can_delete=True, max_num=20, validate_max=True
)


class ScaleLevelForm(VersionTokenMixin, forms.ModelForm):
    class Meta:
        model = ScaleLevel
        fields = ["label", "descriptor", "proficient"]
        formfield_callback = text_limits(descriptor=MAX_DESCRIPTOR_LENGTH)
        widgets = {"descriptor": forms.Textarea(attrs={"rows": 2})}
