"""The audit log page for administrators (filters, pagination, htmx refresh, CSV export), and the CNCD team's
journal of the areas it moderates, read as sentences."""

import csv
import io
import json

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from core.audit_sentences import audit_sentences, team_areas, team_entries
from core.htmx import render_page
from core.models import AuditEntry
from core.permissions import admin_required, curator_required
from core.spreadsheets import neutralise

AUDIT_PAGE_SIZE = 50
# A choice ending with this marker selects every action under the prefix before it.
PREFIX_MARKER = "*"


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(
        label=gettext_lazy("Auteur·rice (adresse e-mail)"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("Tout ou partie de l'adresse."),
    )
    date_from = forms.DateField(
        label=gettext_lazy("Du"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Au"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices(actions)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data


def action_choices(actions: list[str]) -> list:
    """Every action prefix ("members.user.*"), then every exact action, grouped for the select."""
    prefixes = sorted({".".join(action.split(".")[:depth]) for action in actions for depth in (1, 2)} - set(actions))
    return [
        ("", _("Toutes les actions")),
        (
            _("Familles d'actions"),
            [(f"{prefix}.{PREFIX_MARKER}", _("%(prefix)s (toutes)") % {"prefix": prefix}) for prefix in prefixes],
        ),
        (_("Actions"), [(action, action) for action in actions]),
    ]


def filter_entries(entries, data: dict):
    """Apply the filters of a valid AuditFilterForm's cleaned data."""
    action = data.get("action") or ""
    if action.endswith(PREFIX_MARKER):
        entries = entries.for_action_prefix(action.removesuffix(PREFIX_MARKER))
    elif action:
        entries = entries.for_action(action)
    if data.get("actor"):
        entries = entries.by_actor_email(data["actor"])
    return entries.created_between(start=data.get("date_from"), end=data.get("date_to"))


@admin_required
@never_cache
def audit_list(request):
    form = AuditFilterForm(request.GET or None, actions=AuditEntry.objects.action_names())
    entries = AuditEntry.objects.with_actor()
    if form.is_bound and form.is_valid():
        entries = filter_entries(entries, form.cleaned_data)
    elif form.is_bound:
        entries = entries.none()
    if request.GET.get("export") == "csv":
        return _csv_response(entries)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    for entry, sentence in audit_sentences(page.object_list):
        entry.sentence = sentence
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render_page(request, "core/audit_list.html", context, fragment="results")


def _csv_response(entries) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(
        [_("Date"), _("Action"), _("Auteur·rice"), _("Type d'objet"), _("Identifiant"), _("Objet"), _("Détails")]
    )
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow(
            neutralise(value)
            for value in [
                timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
                entry.action,
                entry.actor.email if entry.actor else "",
                entry.target_type,
                entry.target_id,
                entry.target_repr,
                json.dumps(entry.data, ensure_ascii=False, sort_keys=True) if entry.data else "",
            ]
        )
    # A byte-order mark so that spreadsheet software reads the accents as UTF-8.
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="journal-audit-{stamp}.csv"'
    return response


class TeamJournalForm(forms.Form):
    domaine = forms.ChoiceField(label=gettext_lazy("Domaine"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domaine"].choices = [("", _("Tous"))] + [(area.key, area.label) for area in team_areas()]


@curator_required
@never_cache
def team_journal(request):
    """What the CNCD team did in the areas it moderates, read as sentences (core.audit_sentences)."""
    form = TeamJournalForm(request.GET or None)
    area = form.cleaned_data.get("domaine", "") if form.is_bound and form.is_valid() else ""
    page = Paginator(team_entries(area), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = audit_sentences(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render_page(request, "core/team_journal.html", context, fragment="results")
