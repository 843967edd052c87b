"""The catalogue's forms: a training (with its competences), a session, a "suivie" mark, an import."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from members.models import Region
from training.models import LONG_TEXT, REVIEW_LENGTH, Training, TrainingSession
from training.selectors import current_referentiel
from training.transfer import MAX_IMPORT_BYTES, MAX_IMPORT_MB, MAX_ROWS

TRAINING_FORM_FIELDS = (
    "title",
    "summary",
    "description",
    "provider_kind",
    "provider",
    "format",
    "duration_hours",
    "cost_euros",
    "cost_note",
    "url",
)


class TrainingForm(VersionTokenMixin, forms.ModelForm):
    """A training of the catalogue and the competences of the current référentiel it develops."""

    codes = forms.MultipleChoiceField(
        label=gettext_lazy("Compétences du référentiel que la formation développe"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Les liens suivent les codes des compétences : ils restent valables dans les versions suivantes du "
            "référentiel. Ils permettent aux membres de trouver la formation depuis leur plan de développement."
        ),
    )

    class Meta:
        model = Training
        fields = TRAINING_FORM_FIELDS
        formfield_callback = text_limits(description=LONG_TEXT)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "provider_kind": forms.RadioSelect,
            "format": forms.RadioSelect,
        }
        help_texts = {
            "summary": gettext_lazy("Une ou deux phrases affichées dans le catalogue (500 caractères au plus)."),
            "description": gettext_lazy("Programme, public visé, prérequis… Le Markdown simple est accepté."),
            "provider": gettext_lazy("Par exemple : CNFPT – INSET de Dunkerque, Université de Lille, CNCD."),
            "cost_note": gettext_lazy("Par exemple : gratuite pour les agents territoriaux, prise en charge OPCO."),
            "url": gettext_lazy("La page de la formation chez l'organisme (https://…)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        referentiel = current_referentiel()
        groups = [
            (domain or _("Compétences"), [(code, f"{code} — {title}") for code, title in items])
            for domain, items in referentiel.domains
        ]
        stored = list(self.instance.competences.values_list("code", flat=True)) if self.instance.pk else []
        gone = [
            (code, f"{code} " + _("(absente du référentiel en vigueur)"))
            for code in stored
            if code not in referentiel.titles
        ]
        if gone:
            groups.append((_("Compétences d'anciennes versions du référentiel"), gone))
        self.fields["codes"].choices = groups
        if self.instance.pk and not self.is_bound:
            self.initial["codes"] = stored
        self.fields["duration_hours"].widget.attrs.update(min="0", step="0.5")
        self.fields["cost_euros"].widget.attrs.update(min="0", step="0.01")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("La formation"), "title", "summary", "description", "provider_kind", "provider", "url"),
            Fieldset(_("Format, durée et coût"), "format", "duration_hours", "cost_euros", "cost_note"),
            Fieldset(_("Compétences développées"), "codes"),
        )
        if "lock_version" in self.fields:
            self.helper.layout.append("lock_version")

    def clean_duration_hours(self):
        value = self.cleaned_data.get("duration_hours")
        if value is not None and value <= 0:
            raise ValidationError(_("La durée doit être positive."))
        return value

    def clean_cost_euros(self):
        value = self.cleaned_data.get("cost_euros")
        if value is not None and value < 0:
            raise ValidationError(_("Le coût ne peut pas être négatif (0 pour une formation gratuite)."))
        return value

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in TRAINING_FORM_FIELDS}


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = ("starts_on", "ends_on", "place", "region", "registration_url")
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "ends_on": gettext_lazy("Laissez vide pour une session d'une journée."),
            "place": gettext_lazy("Ville et lieu, ou « En ligne »."),
            "region": gettext_lazy("Sert au filtre par région du catalogue."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["region"].empty_label = _("Aucune (à distance)")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("La fin ne peut pas précéder le début de la session."))
        return data

    def values(self) -> dict:
        return dict(self.cleaned_data)


class CompletionForm(forms.Form):
    completed_on = forms.DateField(
        label=gettext_lazy("Suivie le"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("La date de la formation (ou de sa fin), pas dans le futur."),
        error_messages={"required": gettext_lazy("Indiquez la date à laquelle vous avez suivi la formation.")},
    )
    review = forms.CharField(
        label=gettext_lazy("Votre avis (facultatif)"),
        max_length=REVIEW_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            gettext_lazy(
                "{max} caractères au plus. Visible des membres du réseau, sous votre nom tel que vous avez choisi "
                "d'être crédité·e."
            ),
            max=REVIEW_LENGTH,
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_completed_on(self):
        value = self.cleaned_data["completed_on"]
        if value > timezone.localdate():
            raise ValidationError(_("La date ne peut pas être dans le futur : indiquez quand vous l'avez suivie."))
        return value


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=format_lazy(
            gettext_lazy(
                "{size} Mo au plus, {rows} formations au plus. CSV séparé par des virgules ou des points-virgules, "
                "en UTF-8 ou Windows-1252, ou classeur XLSX (première feuille)."
            ),
            size=MAX_IMPORT_MB,
            rows=MAX_ROWS,
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Le fichier est trop volumineux (%(size)s Mo au plus).") % {"size": MAX_IMPORT_MB})
        return upload
