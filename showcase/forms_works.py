"""Forms of the works library: a work's description, its follow-up, its document, the team's masking."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from showcase.documents import max_megabytes
from showcase.models import SUMMARY_LENGTH, CouncilPage, Theme, Work
from showcase.works import HIDE_REASON_LENGTH, LinkData

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _framework_choices():
    """The published référentiel's missions, activities and competences (the toolbox's grouped choices)."""
    from toolbox.forms import framework_choices

    groups, by_code = framework_choices()
    return groups, {code: LinkData(link.kind, link.code, link.title) for code, link in by_code.items()}


class WorkForm(VersionTokenMixin, forms.ModelForm):
    """A work's description; on creation, the council page it belongs to (among those the person may edit)."""

    page = forms.ModelChoiceField(queryset=CouncilPage.objects.none(), label=_("Conseil"), required=True)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.none(), label=_("Thèmes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    codes = forms.MultipleChoiceField(
        label=_("Activités du référentiel que ce travail illustre"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Facultatif. Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )

    class Meta:
        model = Work
        fields = ("kind", "title", "issued_on", "summary", "licence", "external_url")
        widgets = {"issued_on": DATE_WIDGET, "summary": forms.Textarea(attrs={"rows": 5})}
        formfield_callback = text_limits(summary=SUMMARY_LENGTH)
        help_texts = {
            "title": _("Le titre du travail, tel que le conseil l'a publié."),
            "summary": _("Quelques phrases : la question posée, ce que le conseil propose. Elles sont publiques."),
            "licence": _("La licence ouverte sous laquelle chacun peut reprendre le travail."),
            "external_url": _("Facultatif : l'adresse du travail sur le site de la collectivité ou du conseil."),
        }

    def __init__(self, *args, pages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["page"]
        else:
            self.fields["page"].queryset = pages if pages is not None else CouncilPage.objects.none()
            first_two = list(pages[:2]) if pages is not None else []
            if len(first_two) == 1:
                self.fields["page"].initial = first_two[0].pk
        self.fields["themes"].queryset = Theme.objects.active() | Theme.objects.filter(
            pk__in=self.instance.themes.values("pk") if self.instance.pk else []
        )
        groups, self.links_by_code = _framework_choices()
        if self.instance.pk:
            self.fields["themes"].initial = list(self.instance.themes.values_list("pk", flat=True))
            current = list(self.instance.links.all())
            self.fields["codes"].initial = [link.code for link in current]
            kept = [
                (link.code, f"{link.code} — {link.title}") for link in current if link.code not in self.links_by_code
            ]
            for link in current:
                self.links_by_code.setdefault(link.code, LinkData(link.kind, link.code, link.title))
            if kept:
                groups = [*groups, (_("Liens conservés d'une version précédente"), kept)]
        self.fields["codes"].choices = groups

    def links(self) -> list[LinkData]:
        return [self.links_by_code[code] for code in self.cleaned_data.get("codes", []) if code in self.links_by_code]

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FollowUpForm(VersionTokenMixin, forms.ModelForm):
    """What the authority did with the work (suites données)."""

    class Meta:
        model = Work
        fields = ("followup_answer", "followup_by", "followup_on", "followup_uptake", "followup_note")
        widgets = {"followup_on": DATE_WIDGET, "followup_note": forms.Textarea(attrs={"rows": 4})}
        formfield_callback = text_limits(followup_note=SUMMARY_LENGTH)
        help_texts = {
            "followup_by": _("L'instance ou l'élu·e qui a répondu, par exemple « le conseil communautaire »."),
            "followup_uptake": _("À renseigner quand la collectivité a répondu."),
            "followup_note": _("Une courte note publique : ce qui a été retenu, ce qui ne l'a pas été."),
        }

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Document PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _("Un PDF de %(max)s Mo au plus.") % {"max": max_megabytes()}


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du masquage (transmis aux auteur·ices)"),
        max_length=HIDE_REASON_LENGTH,
        required=True,
        error_messages={"required": _("Indiquez le motif du masquage.")},
    )
