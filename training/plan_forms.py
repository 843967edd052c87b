"""The forms of "Mon plan de développement"."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from toolbox.models import Resource
from training.enums import ActionKind, ActionStatus, PlanReference
from training.models import REVIEW_LENGTH, SHORT_TEXT, PlanAction, Training
from training.plans import current_codes, peer_choices


def _competence_choices(codes: dict[str, str], *, blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((code, f"{code} {title}") for code, title in codes.items())]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ReferenceForm(forms.Form):
    reference = forms.ChoiceField(
        label=_("Comparer mon auto-évaluation aux niveaux attendus par"),
        choices=PlanReference.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choisissez la fiche de poste commune ou votre fiche personnelle.")},
    )


class SharingForm(forms.Form):
    shared_with_mentors = forms.BooleanField(
        label=_("Les pairs qui ont accepté de m'accompagner"),
        required=False,
        help_text=_("Celles et ceux qui ont accepté une de vos demandes d'accompagnement."),
    )
    shared_with_team = forms.BooleanField(
        label=_("L'équipe CNCD"),
        required=False,
        help_text=_("Pour préparer avec vous une formation, un accompagnement."),
    )


class PriorityForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Compétence"),
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": _("Cette compétence n'est pas dans le référentiel en vigueur.")},
    )
    note = forms.CharField(
        label=_("Pourquoi (facultatif)"),
        max_length=SHORT_TEXT,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, codes: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        codes = codes if codes is not None else current_codes()
        self.fields["code"].choices = _competence_choices(codes, blank=_("— Choisir une compétence —"))


class PriorityNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Pourquoi (facultatif)"),
        max_length=SHORT_TEXT,
        required=False,
        help_text=_("500 caractères au plus."),
    )


class ActionForm(VersionTokenMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type d'action"), choices=ActionKind.choices, widget=forms.RadioSelect)
    code = forms.ChoiceField(
        label=_("Compétence visée"),
        required=False,
        error_messages={"invalid_choice": _("Cette compétence n'est pas dans le référentiel en vigueur.")},
    )
    title = forms.CharField(
        label=_("Action"),
        max_length=PlanAction._meta.get_field("title").max_length,
        required=False,
        help_text=_("Facultatif pour une formation, une ressource ou un échange : leur nom est repris."),
    )
    training = forms.ModelChoiceField(
        label=_("Formation"),
        queryset=Training.objects.none(),
        required=False,
        empty_label=_("— Choisir une formation du catalogue —"),
        error_messages={"invalid_choice": _("Cette formation n'est pas au catalogue.")},
    )
    resource = forms.ModelChoiceField(
        label=_("Ressource de la boîte à outils"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("— Choisir une ressource —"),
        error_messages={"invalid_choice": _("Cette ressource n'est pas dans la boîte à outils.")},
    )
    peer = forms.TypedChoiceField(
        label=_("Pair"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choisissez un·e pair parmi celles et ceux proposés.")},
    )
    target_date = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 15/03/2027.")},
    )
    status = forms.ChoiceField(label=_("État"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED)
    done_on = forms.DateField(
        label=_("Faite le"),
        required=False,
        widget=DateInput(),
        help_text=_("Pour une action faite ; aujourd'hui si vous laissez vide."),
        error_messages={"invalid": _("Saisissez une date valide, par exemple 15/03/2027.")},
    )
    note = forms.CharField(
        label=_("Notes"),
        max_length=REVIEW_LENGTH * 2,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ce que vous en retenez, les prochaines étapes. 2 000 caractères au plus."),
    )

    def __init__(self, *args, user, action: PlanAction | None = None, code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if action is None:
            del self.fields["lock_version"]  # a new action has no version to compare with
        codes = current_codes()
        if action is not None and action.code and action.code not in codes:
            codes = {action.code: "", **codes}  # a code a newer référentiel dropped stays selectable
        self.fields["code"].choices = _competence_choices(codes, blank=_("— Aucune en particulier —"))
        trainings = Training.objects.published()
        resources = Resource.objects.visible_to(user).published()
        if action is not None and action.training_id:
            trainings = Training.objects.filter(pk__in=trainings.values("pk")) | Training.objects.filter(
                pk=action.training_id
            )
        if action is not None and action.resource_id:
            resources = Resource.objects.filter(pk__in=resources.values("pk")) | Resource.objects.filter(
                pk=action.resource_id
            )
        self.fields["training"].queryset = trainings.order_by("title", "pk")
        self.fields["resource"].queryset = resources.order_by("title", "pk").only("pk", "title")
        wanted_code = self.data.get("code") if self.is_bound else (code or (action.code if action else ""))
        extra = [action.peer_id] if action is not None and action.peer_id else []
        # A peer named in the address (?pair=) is only pre-selected when they are one of the choices below:
        # the form never names someone the member could not find otherwise.
        choices = peer_choices(user=user, code=(wanted_code or "")[:40], extra_ids=extra)
        self.fields["peer"].choices = [("", _("— Choisir un·e pair —")), *choices]

    def clean(self):
        cleaned = super().clean()
        peer_id = cleaned.get("peer")
        cleaned["peer_user"] = None
        if peer_id:
            from members.models import User

            cleaned["peer_user"] = User.objects.filter(pk=peer_id).first()
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "code": data.get("code") or "",
            "title": data.get("title") or "",
            "training": data.get("training"),
            "resource": data.get("resource"),
            "peer": data.get("peer_user"),
            "target_date": data.get("target_date"),
            "status": data["status"],
            "done_on": data.get("done_on"),
            "note": data.get("note") or "",
        }


def action_initial(action: PlanAction) -> dict:
    return {
        "kind": action.kind,
        "code": action.code,
        "title": action.title,
        "training": action.training_id,
        "resource": action.resource_id,
        "peer": action.peer_id,
        "target_date": action.target_date,
        "status": action.status,
        "done_on": action.done_on,
        "note": action.note,
        "lock_version": action.lock_version,
    }
