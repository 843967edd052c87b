"""The form where a member composes their portfolio for the annual review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from training.enums import PortfolioPart
from training.portfolio import INTRODUCTION_LENGTH, NAME_LENGTH, PortfolioChoice

# Ticked when the member first opens the page: everything but the plan, which stays private by default.
DEFAULT_PARTS = [part for part in PortfolioPart.values if part != PortfolioPart.PLAN]


class PortfolioForm(forms.Form):
    parts = forms.MultipleChoiceField(
        label=_("Ce que contient mon portfolio"),
        choices=PortfolioPart.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choisissez au moins une partie à mettre dans le portfolio.")},
        help_text=_("Seul ce que vous cochez figure dans le document ; le reste n'en sort pas."),
    )
    introduction = forms.CharField(
        label=_("Introduction (facultative)"),
        max_length=INTRODUCTION_LENGTH,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Quelques lignes pour présenter votre année ou ce que vous souhaitez aborder (3 000 caractères au plus)."
        ),
        error_messages={
            "max_length": _(
                "L'introduction ne peut pas dépasser %(limit_value)d caractères (elle en compte %(show_value)d)."
            )
        },
    )
    employer = forms.CharField(
        label=_("Employeur (facultatif)"),
        max_length=NAME_LENGTH,
        required=False,
        help_text=_("La collectivité ou la structure à qui vous remettez ce portfolio."),
    )
    interviewer = forms.CharField(
        label=_("Personne qui conduit l'entretien (facultatif)"),
        max_length=NAME_LENGTH,
        required=False,
    )

    def choice(self) -> PortfolioChoice:
        """The member's choice (call once the form is valid)."""
        data = self.cleaned_data
        parts = tuple(part for part in PortfolioPart.values if part in data["parts"])
        return PortfolioChoice(
            parts=parts,
            introduction=data["introduction"],
            employer=data["employer"],
            interviewer=data["interviewer"],
        )
