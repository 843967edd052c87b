"""Forms of the moderation area: a reason, a report decision, a move, a space."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange.models import REASON_LENGTH, Space


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif.")},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ce contenu vous semble-t-il inapproprié ?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez pourquoi vous signalez ce contenu.")},
    )


class DecisionForm(forms.Form):
    UPHOLD = "masquer"
    DISMISS = "classer"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (UPHOLD, _("Masquer le contenu (son auteur·rice lira le motif)")),
            (DISMISS, _("Classer sans suite (le contenu reste visible)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez une décision.")},
    )
    reason = forms.CharField(
        label=_("Motif du masquage ou note de classement"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Le motif d'un masquage est lu par l'auteur·rice ; la note d'un classement reste dans le journal."),
        error_messages={"required": _("Indiquez le motif ou la note.")},
    )


class MoveForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Nouvel espace"),
        queryset=Space.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choisissez un espace de la liste.")},
    )
    reason = forms.CharField(
        label=_("Motif (lu par l'auteur·rice de la question)"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Indiquez le motif du déplacement.")},
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["space"].queryset = Space.objects.exclude(pk=question.space_id).order_by("kind", "position", "name")


class SpaceForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=120)
    slug = forms.SlugField(
        label=_("Adresse"),
        max_length=80,
        required=False,
        help_text=_("Lettres, chiffres et tirets ; laissée vide, elle est tirée du nom."),
    )
    description = forms.CharField(
        label=_("Présentation"), max_length=2_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    position = forms.IntegerField(
        label=_("Ordre"),
        min_value=0,
        max_value=32_767,
        initial=0,
        help_text=_("Les espaces s'affichent par ordre croissant."),
    )
    is_active = forms.BooleanField(label=_("Ouvert aux nouvelles questions"), required=False, initial=True)

    def __init__(self, *args, region: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if region:
            # A region's space keeps its name, address and place: only its presentation and opening change.
            for name in ("name", "slug", "position"):
                del self.fields[name]
