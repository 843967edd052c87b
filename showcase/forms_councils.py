"""Forms of the councils area: the council's page, the team's check, the choice to appear, themes, filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from members.enums import TerritoryKind
from showcase.councils import PAGE_FIELDS
from showcase.models import LONG_TEXT, SUMMARY_LENGTH, CouncilPage, Theme

SEARCH_LENGTH = 200
FIRST_YEAR = 1950


class PageForm(VersionTokenMixin, forms.ModelForm):
    """What the technician·nes say about their council (its name, authority and territory come from its record)."""

    class Meta:
        model = CouncilPage
        fields = PAGE_FIELDS
        formfield_callback = text_limits(presentation=LONG_TEXT, selection_details=SUMMARY_LENGTH)
        widgets = {
            "presentation": forms.Textarea(attrs={"rows": 8}),
            "selection_details": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "presentation": _("Qui est le conseil, ce qu'il fait, comment y participer. Texte simple."),
            "territory": _("Par exemple : 24 communes, 180 000 habitant·es."),
            "member_count": _("Le nombre de membres aujourd'hui, à peu près."),
            "website": _("L'adresse complète, commençant par https://"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["founded_year"].min_value = FIRST_YEAR
        self.fields["founded_year"].widget.attrs.update({"min": FIRST_YEAR})
        self.fields["member_count"].widget.attrs.update({"min": 0})

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not FIRST_YEAR <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Une année entre %(first)s et l'année en cours.") % {"first": FIRST_YEAR})
        return year

    def page_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PAGE_FIELDS}


class CheckForm(forms.Form):
    """The CNCD team's decision on a page."""

    PUBLISH, CHANGES, UNPUBLISH = "publier", "modifications", "retirer"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (PUBLISH, _("Publier (ou confirmer la page modifiée)")),
            (CHANGES, _("Demander des modifications")),
            (UNPUBLISH, _("Retirer de la vitrine")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Message aux technicien·nes du conseil"),
        max_length=SUMMARY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour demander des modifications ou retirer la page."),
    )


class PreferenceForm(forms.Form):
    appears = forms.BooleanField(
        label=_("Apparaître sur la page publique de mon conseil (mon nom affiché et l'intitulé de mon poste)"),
        required=False,
        help_text=_("Désactivé par défaut. Vous pouvez changer d'avis à tout moment."),
    )


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "position", "is_active"]
        help_texts = {
            "position": _("Les thèmes sont proposés du plus petit nombre au plus grand."),
            "is_active": _("Un thème retiré n'est plus proposé pour les nouveaux travaux ; ceux qui l'ont le gardent."),
        }


class ThemeCreateForm(forms.Form):
    name = forms.CharField(label=_("Nouveau thème"), max_length=120)


class PageFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom du conseil ou de la collectivité"), max_length=SEARCH_LENGTH, required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    kind = forms.ChoiceField(
        label=_("Type de territoire"),
        required=False,
        choices=[("", _("Tous")), *TerritoryKind.choices],
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes")), *[(region.code, region.name) for region in regions]]
        for name in ("region", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def criteria(self) -> dict:
        """The valid criteria chosen (an invalid value is ignored, the others still narrow the list)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}
