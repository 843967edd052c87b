from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from fiches.enums import EmailMode
from fiches.models import PersonalFiche
from fiches.services import MAX_BODY_LENGTH, MAX_MESSAGE_LENGTH, MAX_SUMMARY_LENGTH

_MARKDOWN_HELP = _(
    "Mise en forme Markdown : **gras**, *italique*, listes avec « - », titres avec « # », "
    "liens [texte](https://adresse). Le HTML n'est pas interprété."
)
_STRUCTURED_HELP = _(
    "Une ligne par élément du référentiel publié, en commençant par son code (par exemple « M1.A2 », "
    "ou « C-ANI-02 : niveau 3 » pour une compétence et son niveau attendu). L'intitulé est complété "
    "automatiquement."
)


def _body_field(label, *, structured: bool):
    return forms.CharField(
        label=label,
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14, "class": "fiche-editor"}),
        help_text=_STRUCTURED_HELP if structured else _MARKDOWN_HELP,
        strip=False,
    )


class SuggestionForm(forms.Form):
    """`base_revision`: the section text the proposed text was written on (its changes are relative to it)."""

    body = forms.CharField(max_length=MAX_BODY_LENGTH)  # labelled for its section in __init__
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    rationale = forms.CharField(
        label=_("Pourquoi proposez-vous cette modification ?"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Votre justification aide l'équipe CNCD et les autres membres à discuter de la proposition."),
    )

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(
            _("Texte proposé pour « %s »") % section.title, structured=section.is_structured
        )
        self.order_fields(["body", "rationale", "base_revision"])


class SuggestionUpdateForm(VersionTokenMixin, SuggestionForm):
    """The author's form on their own suggestion: it also carries the suggestion's `lock_version`."""


class SectionEditForm(forms.Form):
    body = forms.CharField(max_length=MAX_BODY_LENGTH)  # labelled for its section in __init__
    summary = forms.CharField(
        label=_("Résumé de la modification"),
        max_length=255,
        required=False,
        help_text=_("Une phrase pour l'historique, par exemple « Précise les réunions en soirée »."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(_("Texte de « %s »") % section.title, structured=section.is_structured)
        self.order_fields(["body", "summary", "base_revision"])


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=255, widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Il sera montré à l'auteur·rice et aux membres qui suivent la proposition."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"), max_length=MAX_MESSAGE_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PublishForm(forms.Form):
    label = forms.CharField(
        label=_("Libellé de la version"), max_length=20, help_text=_("Par exemple « v1.1 » ou « v2.0 ».")
    )
    summary = forms.CharField(
        label=_("Ce qui change"),
        required=False,
        max_length=MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quelques lignes pour les lecteurs de la fiche publiée."),
    )


class NotificationSettingForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Recevoir les notifications par e-mail"), choices=EmailMode.choices, widget=forms.RadioSelect
    )


class PersonalFicheForm(VersionTokenMixin, forms.ModelForm):
    class Meta:
        model = PersonalFiche
        fields = ["job_title", "employer", "time_share", "local_context"]
        formfield_callback = text_limits(local_context=MAX_MESSAGE_LENGTH)
        widgets = {"local_context": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "job_title": _("L'intitulé de votre poste dans votre collectivité."),
            "time_share": _("Un nombre entier entre 0 et 100."),
            "local_context": _("Ce qui est propre à votre territoire et à votre conseil : vous seul·e le voyez."),
        }


class PersonalSectionForm(VersionTokenMixin, forms.Form):
    body = forms.CharField(max_length=MAX_BODY_LENGTH)  # labelled for its section in __init__
    # Named in French like the `?integrer=1` link that opens this form: one action, one parameter name.
    integrer = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"] = _body_field(
            _("Votre texte pour « %s »") % section.title, structured=section.is_structured
        )
        self.order_fields(["body", "integrer"])
