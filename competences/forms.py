from django import forms
from django.utils.translation import gettext_lazy as _

from competences.models import Activity, Competence, Domain, Mission, ScaleLevel, label_validator


class DraftCreateForm(forms.Form):
    label = forms.CharField(
        label=_("Libellé de la nouvelle version"),
        max_length=20,
        validators=[label_validator],
        help_text=_("Par exemple « v2.0 ». Il apparaîtra dans les liens permanents."),
    )


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_("Résumé des changements"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Affiché dans l'historique des versions, pour le public et les membres."),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends qu'une version publiée ne pourra plus être modifiée."), required=True
    )


class VersionItemForm(forms.ModelForm):
    """Base form for an item of a draft: codes must be unique within the version."""

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
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class ActivityForm(VersionItemForm):
    class Meta:
        model = Activity
        fields = ["code", "mission", "title", "description", "competences", "replaces"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "competences": forms.CheckboxSelectMultiple}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["mission"].queryset = Mission.objects.of(version).order_by("order", "code")
        self.fields["competences"].queryset = Competence.objects.of(version).order_by("code")
        self.fields["title"].help_text = _("Commence par un verbe à l'infinitif, par exemple « Animer… ».")


class DomainForm(VersionItemForm):
    class Meta:
        model = Domain
        fields = ["code", "title", "description", "replaces"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CompetenceForm(VersionItemForm):
    class Meta:
        model = Competence
        fields = ["code", "domain", "title", "description", "kind", "transversal", "replaces"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, version=version, **kwargs)
        self.fields["domain"].queryset = Domain.objects.of(version).order_by("order", "code")
        existing = {}
        if self.instance.pk:
            existing = {level.value: level.descriptor for level in self.instance.levels.all()}
        for level in ScaleLevel.objects.of(version).order_by("value"):
            self.fields[f"level_{level.value}"] = forms.CharField(
                label=_("Niveau %(value)s (%(label)s) pour cette compétence")
                % {"value": level.value, "label": level.label},
                required=False,
                max_length=500,
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


class ScaleLevelForm(forms.ModelForm):
    class Meta:
        model = ScaleLevel
        fields = ["label", "descriptor"]
        widgets = {"descriptor": forms.Textarea(attrs={"rows": 2})}
