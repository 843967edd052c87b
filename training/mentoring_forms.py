"""Forms of peer mentoring and of the newcomers' path."""

from urllib.parse import urlsplit

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from training.models import CODE_LENGTH, LONG_TEXT, MESSAGE_LENGTH, WelcomeStep


class CompetenceChoiceForm(forms.Form):
    """The competence a member looks for help on (GET)."""

    competence = forms.ChoiceField(label=_("Compétence"), choices=(), required=False)

    def __init__(self, *args, competences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competence"].choices = [("", _("Choisissez une compétence")), *competences]


class OffersForm(forms.Form):
    """The competences a member offers help on (checkboxes)."""

    codes = forms.MultipleChoiceField(
        label=_("Les compétences sur lesquelles je peux accompagner un·e pair"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, competences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = list(competences)


class RequestForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=CODE_LENGTH)
    message = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Présentez-vous et dites ce sur quoi vous aimeriez être accompagné·e (%(n)s caractères au plus). "
            "Vos coordonnées ne sont transmises que si la personne accepte."
        )
        % {"n": MESSAGE_LENGTH},
        error_messages={"required": _("Écrivez un message pour présenter votre demande.")},
    )

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Écrivez un message pour présenter votre demande."))
        return message


class AnswerForm(forms.Form):
    """The mentor's optional reply (acceptance) or reason (refusal)."""

    response = forms.CharField(
        label=_("Votre réponse (facultative)"),
        max_length=MESSAGE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WelcomeStepForm(VersionTokenMixin, forms.ModelForm):
    class Meta:
        model = WelcomeStep
        fields = ["title", "description", "link"]
        formfield_callback = text_limits(description=LONG_TEXT)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": _("Une action courte, à l'infinitif : « Lire la fiche de poste commune »."),
            "description": _(
                "Pourquoi cette étape, ce que la personne y trouvera. Mise en forme Markdown : **gras**, "
                "*italique*, listes, liens."
            ),
            "link": _(
                "Une adresse du site commençant par « / » (par exemple /fiche-de-poste/) ou une adresse "
                "complète commençant par https://. Facultatif."
            ),
        }

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Donnez un intitulé à l'étape."))
        return title

    def clean_link(self):
        link = self.cleaned_data["link"].strip()
        if not link:
            return ""
        if link.startswith("/") and not link.startswith("//"):
            return link
        parts = urlsplit(link)
        if parts.scheme in ("http", "https") and parts.netloc:
            return link
        raise forms.ValidationError(
            _("Saisissez une adresse du site commençant par « / » ou une adresse complète commençant par https://.")
        )

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("title", "description", "link")}
