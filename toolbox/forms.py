"""The toolbox's forms: a resource of one kind (its own fields only), the team's decision, marks and comments."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from members.models import Council
from toolbox.enums import LinkKind
from toolbox.fields import COMMON_FIELDS, KINDS
from toolbox.models import COMMENT_LENGTH, FEEDBACK_LENGTH, LONG_TEXT, Resource
from toolbox.services import MAX_REASON_LENGTH, LinkData

LONG_FIELDS = (
    "description",
    "purpose",
    "materials",
    "steps",
    "context",
    "actions",
    "results",
    "pitfalls",
    "use_purpose",
    "data_flows",
    "human_part",
    "vigilance",
)
TEXT_LIMITS = dict.fromkeys(LONG_FIELDS, LONG_TEXT)

HELP = {
    "title": _("Un titre court qui dit de quoi il s'agit, par exemple « Débat mouvant sur le budget »."),
    "summary": _("Deux ou trois phrases : ce que la ressource apporte et à qui. Elles apparaissent dans la liste."),
    "description": _("Tout ce qui aide à s'en servir. Mise en forme Markdown : **gras**, listes avec « - », liens."),
    "steps": _("Les étapes, une par ligne ou en liste numérotée."),
    "council": _("Le conseil dont vient ce retour d'expérience."),
    "use_purpose": _("Ce que l'outil fait pour vous, concrètement."),
    "data_flows": _(
        "Quelles données quittent la collectivité (noms, enregistrements, contributions…) et vers quel prestataire."
    ),
    "human_part": _(
        "Ce que l'outil ne fait pas à votre place : l'écoute, l'animation, la synthèse, le lien avec les élu·es…"
    ),
    "vigilance": _("Ce qu'il faut vérifier ou éviter : consentement, biais, coût caché, dépendance…"),
    "licence": _("La licence sous laquelle les autres peuvent reprendre la ressource. CC BY-SA 4.0 par défaut."),
    "audience": _("Une ressource publique est visible de tout le monde, après accord de l'équipe CNCD."),
    "other_authors": _("Les personnes qui ont contribué sans compte sur la plateforme, séparées par des virgules."),
}


def framework_choices() -> tuple[list, dict[str, LinkData]]:
    """The current référentiel's missions, activities and competences as grouped checkbox choices, and by code."""
    from competences.models import Competence, FrameworkVersion
    from missions.models import Activity, Mission

    version = FrameworkVersion.objects.current()
    if version is None:
        return [], {}
    by_code: dict[str, LinkData] = {}
    groups = []
    for mission in Mission.objects.of(version).order_by("order", "code"):
        by_code[mission.code] = LinkData(LinkKind.MISSION, mission.code, mission.title)
        options = [(mission.code, f"{mission.code} — {mission.title}")]
        for activity in Activity.objects.of(version).filter(mission=mission).order_by("order", "code"):
            by_code[activity.code] = LinkData(LinkKind.ACTIVITY, activity.code, activity.title)
            options.append((activity.code, f"{activity.code} — {activity.title}"))
        groups.append((_("Mission %(code)s et ses activités") % {"code": mission.code}, options))
    competences = []
    for competence in Competence.objects.of(version).order_by("code"):
        by_code[competence.code] = LinkData(LinkKind.COMPETENCE, competence.code, competence.title)
        competences.append((competence.code, f"{competence.code} — {competence.title}"))
    if competences:
        groups.append((_("Compétences"), competences))
    return groups, by_code


class ResourceForm(VersionTokenMixin, forms.ModelForm):
    """A resource of `kind`: the common fields, the kind's own, its référentiel links, licence and audience."""

    codes = forms.MultipleChoiceField(
        label=_("Éléments du référentiel que la ressource aide à pratiquer"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Les liens suivent les codes : ils restent valables dans les versions suivantes du référentiel."),
    )
    change_summary = forms.CharField(
        label=_("Résumé de la modification"),
        max_length=255,
        required=False,
        help_text=_("Facultatif : ce que vous avez changé, pour l'historique."),
    )

    class Meta:
        model = Resource
        fields = [
            *COMMON_FIELDS,
            *dict.fromkeys(name for spec in KINDS.values() for name in spec.fields),
            "licence",
            "audience",
            "other_authors",
        ]
        formfield_callback = text_limits(**TEXT_LIMITS)
        help_texts = HELP
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in TEXT_LIMITS if name != "description"},
            "audience": forms.RadioSelect,
        }

    def __init__(self, *args, kind: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        spec = KINDS[kind]
        for name in list(self.fields):
            if name in KINDS_FIELDS and name not in spec.fields:
                del self.fields[name]
        for name in spec.required:
            self.fields[name].required = True
        if "council" in self.fields:
            self.fields["council"].queryset = Council.objects.validated().order_by("name")
            if self.instance.pk is None and not self.is_bound:
                profile = getattr(user, "profile", None)
                if profile is not None and profile.council_id:
                    self.initial.setdefault("council", profile.council_id)
        groups, self.links_by_code = framework_choices()
        kept = [
            (link.code, f"{link.code} — {link.title} " + str(_("(absent de la version en vigueur)")))
            for link in (self.instance.links.all() if self.instance.pk else [])
            if link.code not in self.links_by_code
        ]
        for link in self.instance.links.all() if self.instance.pk else []:
            self.links_by_code.setdefault(link.code, LinkData(link.kind, link.code, link.title))
        self.fields["codes"].choices = groups + ([(_("Liens anciens"), kept)] if kept else [])
        if self.instance.pk and not self.is_bound:
            self.initial["codes"] = [link.code for link in self.instance.links.all()]
        if not (self.instance.pk and self.instance.is_published):
            del self.fields["change_summary"]
        self.order_fields([*COMMON_FIELDS, *spec.fields, "codes", "licence", "audience", "other_authors"])
        # Three groups, each with its legend: the kind's own block (the "usage responsable" of a tool) stands apart.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.render_unmentioned_fields = True
        diffusion = [
            name for name in ("codes", "licence", "audience", "other_authors", "change_summary") if name in self.fields
        ]
        self.helper.layout = Layout(
            Fieldset(_("La ressource"), *COMMON_FIELDS),
            Fieldset(spec.block_title, *spec.fields),
            Fieldset(_("Référentiel, licence et diffusion"), *diffusion),
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("group_min"), data.get("group_max")
        if low is not None and high is not None and low > high:
            self.add_error("group_max", _("Le nombre maximal doit être au moins égal au nombre minimal."))
        return data

    def links(self) -> list[LinkData]:
        return [self.links_by_code[code] for code in self.cleaned_data.get("codes", []) if code in self.links_by_code]

    def data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name not in ("codes", "council")}


KINDS_FIELDS = {name for spec in KINDS.values() for name in spec.fields}


class DecisionForm(forms.Form):
    PUBLISH, CHANGES, REFUSE, APPROVE_PUBLIC = "publier", "modifications", "refuser", "ouvrir-au-public"
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (PUBLISH, _("Publier")),
            (CHANGES, _("Demander des modifications")),
            (REFUSE, _("Refuser")),
            (APPROVE_PUBLIC, _("Ouvrir au public")),
        ],
        widget=forms.RadioSelect,
    )
    make_public = forms.BooleanField(
        label=_("Approuver aussi l'accès public demandé par l'auteur·rice"), required=False, initial=True
    )
    reason = forms.CharField(
        label=_("Message aux auteur·rices"),
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour une demande de modifications ou un refus."),
    )


class UseForm(forms.Form):
    feedback = forms.CharField(
        label=_("Votre retour en une ligne (facultatif)"),
        max_length=FEEDBACK_LENGTH,
        required=False,
        help_text=_("Dans quel contexte, ce qui a marché, ce que vous avez adapté."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Votre commentaire"), max_length=COMMENT_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=255)


class ModerationForm(forms.Form):
    HIDE, RESTORE, DISMISS = "masquer", "retablir", "classer"
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(HIDE, _("Masquer")), (RESTORE, _("Rétablir")), (DISMISS, _("Classer les signalements sans suite"))],
    )
    reason = forms.CharField(label=_("Motif"), max_length=255)
