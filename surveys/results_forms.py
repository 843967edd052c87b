"""The forms of the results: the group a page is filtered on, the campaign to compare with, the public summary."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from surveys.models import LONG_TEXT, Campaign
from surveys.results import ALL, CampaignFigures, category_label, category_view, region_view

FILTER_FIELD = "groupe"


def view_from_slug(slug: str) -> tuple | None:
    """The view named by `slug` ("region-53", "categorie-A", "" for the whole campaign); None if unreadable."""
    if not slug:
        return ALL
    kind, _sep, code = slug.partition("-")
    if not code or len(code) > 3:
        return None
    if kind == "region":
        return region_view(code)
    if kind == "categorie":
        return category_view(code)
    return None


class ResultsFilterForm(forms.Form):
    """One group at a time: a region or a category of post, among those offered (see surveys.results)."""

    groupe = forms.ChoiceField(label=_("Afficher les réponses de"), required=False)

    def __init__(self, data, *, figures: CampaignFigures, regions: bool = True, categories: bool = True):
        super().__init__(data)
        choices = [("", _("Toutes les réponses"))]
        if regions and figures.groups.regions:
            names = figures.groups.region_names
            offered = sorted(figures.groups.regions, key=lambda code: names.get(code, code))
            choices.append((_("Régions"), [(f"region-{code}", names.get(code, code)) for code in offered]))
        if categories and figures.groups.categories:
            offered = sorted(figures.groups.categories)
            choices.append(
                (_("Catégories de poste"), [(f"categorie-{code}", category_label(code)) for code in offered])
            )
        self.fields[FILTER_FIELD].choices = choices
        self.fields[FILTER_FIELD].error_messages["invalid_choice"] = _(
            "Ce groupe n'est pas proposé : moins de 5 personnes y ont répondu, ou moins de 5 personnes en dehors de "
            "lui, et ses chiffres permettraient de reconnaître quelqu'un."
        )

    def view(self) -> tuple | None:
        """The chosen view, ALL when none is chosen, None when the choice is refused."""
        if not self.is_bound:
            return ALL
        if not self.is_valid():
            return None
        return view_from_slug(self.cleaned_data[FILTER_FIELD])


class CompareForm(forms.Form):
    avec = forms.ModelChoiceField(
        label=_("Comparer avec la campagne"), queryset=Campaign.objects.none(), empty_label=_("Choisir une campagne")
    )

    def __init__(self, data, *, campaigns):
        super().__init__(data)
        self.fields["avec"].queryset = campaigns
        self.fields["avec"].error_messages["invalid_choice"] = _(
            "Choisissez une autre campagne du même questionnaire (ou d'une de ses copies)."
        )


class PublishForm(VersionTokenMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["public_summary"]
        labels = {"public_summary": _("Synthèse publique")}
        help_texts = {
            "public_summary": _(
                "Le texte lu en tête de la page publique des résultats (Markdown simple). Les chiffres agrégés "
                "suivent ; les réponses libres ne sont jamais publiées."
            )
        }
        widgets = {"public_summary": forms.Textarea(attrs={"rows": 10, "maxlength": LONG_TEXT})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_summary"].required = True
        self.fields["public_summary"].max_length = LONG_TEXT
        self.fields["public_summary"].error_messages["required"] = _(
            "Écrivez la synthèse publique : quelques phrases qui présentent les résultats."
        )
