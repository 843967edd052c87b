"""The team's forms: a questionnaire, a part, a question of each kind, a campaign.

The rules (codes, conditions, frozen questionnaires, dates) live in surveys.authoring and surveys.campaigns;
these forms check lengths and types, then show each rule's message on its field.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from surveys.authoring import (
    CODE_LENGTH,
    MAX_OPTIONS,
    OPTION_LABEL_LENGTH,
    OPTION_VALUE_LENGTH,
    SCALE_BOUNDS,
    AuthoringError,
    options_text,
    parse_options,
)
from surveys.enums import QuestionKind, QuestionSource
from surveys.models import SHORT_TEXT, Campaign, Question, Questionnaire, QuestionSection
from surveys.questions import CONDITION_KINDS, OPTION_KINDS, question_options, questionnaire_questions

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MARKDOWN_HELP = _(
    "Mise en forme Markdown : **gras**, *italique*, listes avec « - », liens [texte](https://adresse). "
    "Le HTML n'est pas interprété."
)
OPTIONS_LENGTH = MAX_OPTIONS * (OPTION_LABEL_LENGTH + OPTION_VALUE_LENGTH + 4)


def add_service_error(form: forms.BaseForm, error) -> None:
    """Show a service's error on the form's fields (on the form itself for fields it does not have)."""
    aliases = {"condition_question": "condition", "condition_values": "condition"}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = aliases.get(field, field)
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class QuestionnaireForm(VersionTokenMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": _("Par exemple « Enquête sur les pratiques des technicien·nes ». Les membres le lisent."),
            "introduction": _("Montrée avant la première question : pourquoi cette enquête, combien de temps. %(md)s")
            % {"md": MARKDOWN_HELP},
        }


class SectionForm(forms.ModelForm):
    class Meta:
        model = QuestionSection
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"description": _("Facultatif : quelques mots montrés en haut de la partie.")}


KIND_HELP = {
    QuestionKind.SINGLE: _("Une seule réponse parmi les options."),
    QuestionKind.MULTIPLE: _("Plusieurs réponses possibles parmi les options."),
    QuestionKind.SCALE: _("Une note sur une échelle (par exemple de 1 à 5), avec un libellé à chaque extrémité."),
    QuestionKind.NUMBER: _("Un nombre, éventuellement borné (par exemple le nombre de séances par an)."),
    QuestionKind.SPLIT: _(
        "Des pourcentages à répartir entre les options, dont le total doit faire 100 (par exemple le temps passé "
        "sur chaque mission)."
    ),
    QuestionKind.SHORT_TEXT: _("Une réponse libre en une ligne."),
    QuestionKind.LONG_TEXT: _("Une réponse libre de plusieurs paragraphes."),
}


def _condition_choices(questionnaire: Questionnaire, question: Question | None, section_id: int | None) -> list:
    """Answers of the choice and scale questions asked before `question` (or before the end of the part
    `section_id`, for a new question), grouped by question: « pk:value »."""
    questions = questionnaire_questions(questionnaire)
    if question is not None:
        earlier = questions[: next(i for i, q in enumerate(questions) if q.pk == question.pk)]
    else:
        ends = [i for i, q in enumerate(questions) if q.section_id == section_id]
        if ends:
            earlier = questions[: ends[-1] + 1]
        else:  # an empty part: the questions of the parts before it
            key = (_section_order(section_id), section_id or 0)
            earlier = [q for q in questions if (q.section.order, q.section_id) < key]
    groups = []
    for candidate in earlier:
        if candidate.kind not in CONDITION_KINDS:
            continue
        options = [(f"{candidate.pk}:{value}", label) for value, label in question_options(candidate)]
        if options:
            groups.append((f"{candidate.text} ({candidate.code})", options))
    return groups


class QuestionForm(forms.Form):
    """A question of `kind`: the settings of that kind only."""

    text = forms.CharField(label=_("Question"), max_length=SHORT_TEXT, widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(
        label=_("Aide"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("Facultatif : une précision montrée sous la question."),
    )
    required = forms.BooleanField(label=_("Réponse obligatoire"), required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_LENGTH,
        required=False,
        help_text=_(
            "Identifie la question d'une année sur l'autre (comparaison des campagnes, exports). Laissé vide, il "
            "est fait à partir de la question. Minuscules, chiffres et tirets."
        ),
    )

    def __init__(
        self,
        *args,
        kind: str,
        questionnaire: Questionnaire,
        question: Question | None = None,
        section_id: int | None = None,
        **kwargs,
    ):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = question_initial(question)
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.questionnaire = questionnaire
        self.question = question
        if question is not None:
            self.fields["section"] = forms.ModelChoiceField(
                label=_("Partie"),
                queryset=QuestionSection.objects.filter(questionnaire=questionnaire).order_by("order", "pk"),
                empty_label=None,
                help_text=_("Changer de partie place la question à la fin de celle choisie."),
            )
            self.order_fields(["section"])
        if kind in OPTION_KINDS:
            self.fields["source"] = forms.ChoiceField(
                label=_("Origine des options"),
                choices=QuestionSource.choices,
                initial=QuestionSource.OPTIONS,
                widget=forms.RadioSelect,
                help_text=_(
                    "Les missions ou compétences du référentiel en vigueur sont reprises par leur code : les "
                    "résultats s'alignent sur le référentiel."
                ),
            )
            self.fields["options"] = forms.CharField(
                label=_("Options"),
                required=False,
                max_length=OPTIONS_LENGTH,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "Une option par ligne : « valeur | libellé » (la valeur reste stable et sert aux conditions et "
                    "aux résultats), ou seulement le libellé. Au moins deux, au plus %(max)s. Ignoré si les options "
                    "viennent du référentiel."
                )
                % {"max": MAX_OPTIONS},
            )
        if kind == QuestionKind.SCALE:
            self.fields["scale_min"] = forms.IntegerField(
                label=_("Minimum de l'échelle"), min_value=SCALE_BOUNDS[0], max_value=SCALE_BOUNDS[1], initial=1
            )
            self.fields["scale_max"] = forms.IntegerField(
                label=_("Maximum de l'échelle"), min_value=SCALE_BOUNDS[0], max_value=SCALE_BOUNDS[1], initial=5
            )
            self.fields["scale_min_label"] = forms.CharField(
                label=_("Libellé du minimum"),
                max_length=100,
                required=False,
                help_text=_("Par exemple « Pas du tout »."),
            )
            self.fields["scale_max_label"] = forms.CharField(
                label=_("Libellé du maximum"),
                max_length=100,
                required=False,
                help_text=_("Par exemple « Tout à fait »."),
            )
        if kind == QuestionKind.NUMBER:
            for name, label in (("number_min", _("Minimum")), ("number_max", _("Maximum"))):
                self.fields[name] = forms.DecimalField(
                    label=label,
                    required=False,
                    max_digits=12,
                    decimal_places=2,
                    help_text=_("Facultatif."),
                )
        choices = _condition_choices(questionnaire, question, section_id)
        if choices:
            self.fields["condition"] = forms.MultipleChoiceField(
                label=_("Afficher seulement si une question précédente a pour réponse…"),
                required=False,
                choices=choices,
                widget=forms.SelectMultiple(attrs={"size": 8}),
                help_text=_(
                    "Laissez vide pour toujours poser la question. Sinon, choisissez une ou plusieurs réponses d'une "
                    "même question posée avant celle-ci (Ctrl ou Cmd pour en choisir plusieurs)."
                ),
            )

    def clean_options(self):
        text = self.cleaned_data.get("options") or ""
        try:
            return parse_options(text)
        except AuthoringError as error:
            raise forms.ValidationError(error.messages) from None

    def clean_code(self):
        return (self.cleaned_data.get("code") or "").strip().lower()

    def clean_condition(self):
        chosen = self.cleaned_data.get("condition") or []
        questions = {value.split(":", 1)[0] for value in chosen}
        if len(questions) > 1:
            raise forms.ValidationError(_("Choisissez des réponses d'une seule question."))
        return chosen

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        chosen = data.pop("condition", None) or []
        if chosen:
            question_pk = int(chosen[0].split(":", 1)[0])
            data["condition_question"] = question_pk
            data["condition_values"] = [value.split(":", 1)[1] for value in chosen]
        else:
            data["condition_question"] = None
            data["condition_values"] = []
        return data

    def add_service_error(self, error) -> None:
        add_service_error(self, error)


def question_initial(question: Question) -> dict:
    initial = {
        "section": question.section_id,
        "text": question.text,
        "help_text": question.help_text,
        "required": question.required,
        "code": question.code,
        "source": question.source,
        "options": options_text(question.options),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "scale_min_label": question.scale_min_label,
        "scale_max_label": question.scale_max_label,
        "number_min": question.number_min,
        "number_max": question.number_max,
    }
    if question.condition_question_id is not None:
        initial["condition"] = [f"{question.condition_question_id}:{value}" for value in question.condition_values]
    return initial


def _section_order(section_id: int | None) -> int:
    if section_id is None:
        return 0
    return QuestionSection.objects.filter(pk=section_id).values_list("order", flat=True).first() or 0


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class CampaignForm(VersionTokenMixin, forms.ModelForm):
    """A campaign's dates (typed at Paris time), anonymity and publication note."""

    class Meta:
        model = Campaign
        fields = ["title", "opens_at", "closes_at", "anonymous", "publication_note"]
        widgets = {
            "opens_at": _datetime_widget(),
            "closes_at": _datetime_widget(),
            "publication_note": forms.Textarea(attrs={"rows": 4}),
            "anonymous": forms.RadioSelect(choices=[(True, _("Oui : anonymes")), (False, _("Non : nominatives"))]),
        }
        help_texts = {
            "title": _("Par exemple « Enquête 2026 ». Les membres le lisent dans l'invitation."),
            "opens_at": _("Heure de Paris. Une date à venir rend la campagne « programmée » une fois ouverte."),
            "closes_at": _("Heure de Paris. Les réponses restent modifiables jusqu'à cette date."),
            "anonymous": _(
                "Anonymes : aucun lien entre une réponse et une personne n'est conservé ; l'équipe ne voit que des "
                "nombres. Nominatives : l'équipe voit qui a répondu et quoi. Ce choix ne peut plus changer dès "
                "qu'un·e membre a participé."
            ),
            "publication_note": _(
                "Dit à chaque membre avant la première question : ce qui sera publié, à qui, sous quelle forme "
                "(par exemple « les résultats agrégés, sans aucun groupe de moins de 5 personnes, dans une synthèse "
                "publique »)."
            ),
        }

    def __init__(self, *args, anonymous_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anonymous"] = forms.TypedChoiceField(
            label=_("Réponses anonymes"),
            choices=[("True", _("Oui : anonymes")), ("False", _("Non : nominatives"))],
            coerce=lambda value: value in (True, "True"),
            widget=forms.RadioSelect,
            initial="True" if (self.instance.pk is None or self.instance.anonymous) else "False",
            help_text=self._meta.help_texts["anonymous"],
            disabled=anonymous_locked,
        )
        if self.instance.pk is not None:
            self.initial["anonymous"] = "True" if self.instance.anonymous else "False"

    def clean(self):
        cleaned = super().clean()
        opens_at, closes_at = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("La clôture doit venir après l'ouverture."))
        return cleaned

    def values(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ["title", "opens_at", "closes_at", "anonymous", "publication_note"]
        }

    def add_service_error(self, error) -> None:
        add_service_error(self, error)


class ConfirmForm(forms.Form):
    """A confirmation with nothing to type (deleting)."""


__all__ = [
    "NON_FIELD_ERRORS",
    "CampaignForm",
    "ConfirmForm",
    "QuestionForm",
    "QuestionnaireForm",
    "SectionForm",
    "add_service_error",
]
