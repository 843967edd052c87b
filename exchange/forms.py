"""Forms of the entraide's spaces: a question (with its référentiel tags and toolbox resources), an answer."""

from django import forms
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from exchange.models import BODY_LENGTH, TITLE_LENGTH, Space
from exchange.services import TagData

MARKUP_HELP = _(
    "Mise en forme Markdown : **gras**, listes avec « - », liens, « > » pour citer, @prenom-nom pour mentionner "
    "un membre."
)


def body_help():
    """The help under a question's or an answer's text: markup, then how to @mention (exn's include)."""
    return format_html("{}{}", MARKUP_HELP, render_to_string("exchange/includes/mention_help.html"))


def _resources_for(user):
    from toolbox.models import Resource

    return Resource.objects.visible_to(user).published().only("pk", "title").order_by("title")


class QuestionForm(VersionTokenMixin, forms.Form):
    space = forms.ModelChoiceField(label=_("Espace"), queryset=Space.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("Titre"),
        max_length=TITLE_LENGTH,
        help_text=_("Votre question en une phrase, par exemple « Comment gérez-vous une autosaisine ? »"),
    )
    body = forms.CharField(
        label=_("Message"), max_length=BODY_LENGTH, widget=forms.Textarea(attrs={"rows": 10}), help_text=MARKUP_HELP
    )
    is_discussion = forms.BooleanField(
        label=_("C'est une discussion (pas de réponse à retenir)"),
        required=False,
        help_text=_("Pour partager une idée ou lancer un échange plutôt que poser une question précise."),
    )
    codes = forms.MultipleChoiceField(
        label=_("Éléments du référentiel concernés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les pairs qui ont déclaré pouvoir aider sur ces compétences vous seront suggérés."),
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Ressources de la boîte à outils liées"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )

    def __init__(self, *args, user, question=None, **kwargs):
        from toolbox.forms import framework_choices

        self.instance = question
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = body_help()
        spaces = Space.objects.active()
        if question is not None:
            spaces = Space.objects.filter(pk=question.space_id)
        self.fields["space"].queryset = spaces.order_by("kind", "position", "name")
        groups, self.tags_by_code = framework_choices()
        old = []
        if question is not None:
            for tag in question.tags.all():
                if tag.code not in self.tags_by_code:
                    old.append((tag.code, f"{tag.code} — {tag.title}"))
                    self.tags_by_code[tag.code] = TagData(tag.kind, tag.code, tag.title)
        self.tags_by_code = {
            code: TagData(link.kind, link.code, link.title) for code, link in self.tags_by_code.items()
        }
        self.fields["codes"].choices = groups + ([(_("Éléments anciens"), old)] if old else [])
        self.fields["resources"].queryset = _resources_for(user)
        if question is not None:
            self.fields["space"].disabled = True
            self.initial["space"] = question.space_id
            self.fields["space"].help_text = _("Seule l'équipe CNCD peut déplacer une question.")
            if not self.is_bound:
                self.initial.update(
                    {
                        "title": question.title,
                        "body": question.body,
                        "is_discussion": question.is_discussion,
                        "codes": [tag.code for tag in question.tags.all()],
                        "resources": [link.resource_id for link in question.resource_links.all()],
                    }
                )
                self.fields["lock_version"].initial = question.lock_version

    def tags(self) -> list[TagData]:
        return [self.tags_by_code[code] for code in self.cleaned_data.get("codes", []) if code in self.tags_by_code]


class AnswerForm(VersionTokenMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre réponse"),
        max_length=BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKUP_HELP,
    )
    quoted = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, answer=None, **kwargs):
        self.instance = answer
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = body_help()
        if answer is not None:
            del self.fields["quoted"]
            self.fields["body"].label = _("Réponse")
            if not self.is_bound:
                self.initial["body"] = answer.body
                self.fields["lock_version"].initial = answer.lock_version
