"""Every text a person posts is length-checked before any work (issue 12, item 3).

The audit pinned a worker for 76 s by posting 1 MB to the suggestion preview. Two guards here:

- `test_every_text_field_of_the_project_has_a_max_length` walks every form class of the project's
  apps, ModelForms included (a TextField gives a CharField without a limit), and fails on any text
  field left without `max_length`;
- `test_1_mb_in_each_field_is_refused_quickly_and_changes_nothing` opens each page of the site that
  holds a form, as someone allowed to use it, takes the form the page really shows (with the fields
  it adds at run time), and posts 1 MB in each of its fields in turn, the others filled in as the
  page offers them: each time a French form error (or a refusal), nothing created or changed, and
  an answer within seconds. `PAGES` lists the pages; `test_every_form_of_the_project_is_posted_to`
  fails when a form class of the project is on none of them, unless `NOT_POSTED` gives the reason and
  the test that posts 1 MB to it another way (e.g. a cell of the toolbox's import file, below).
"""

import csv
import datetime
import importlib
import io
import pkgutil
import re
import time
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competences.enums import FrameworkStatus
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG
from meetings import registration as meeting_registration
from meetings import services as meeting_services
from meetings.enums import AttendanceMode, WorkshopKind
from tests.fiches.factories import fiche_with_sections
from tests.meetings.factories import make_meeting
from tests.members.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox import services as toolbox_services
from toolbox import transfer as toolbox_transfer
from toolbox.enums import ResourceKind
from toolbox.views import transfer as transfer_views

PROJECT_APPS = (
    "core",
    "members",
    "competences",
    "missions",
    "referentiel",
    "fiches",
    "toolbox",
    "meetings",
    "dashboard",
)
# Modules that hold no forms and cannot be imported on their own (settings, entry points).
SKIPPED_MODULES = re.compile(r"\.(settings|migrations|management)(\.|$)|\.(wsgi|asgi)$")

ONE_MB = "x" * (1024 * 1024)
# Loose on purpose (a busy test machine): the unchecked preview took 76 s on 1 MB.
SECONDS = 5
# Django's message, or a form's own wording of it (meetings: "… 200 caractères au plus (actuellement 1048576).").
MAX_LENGTH_ERROR = re.compile(
    r"Assurez-vous que cette valeur comporte au plus \d+ caractères? \(actuellement \d+\)"
    r"|\d+ caractères? au plus \((actuellement|vous en avez écrit) \d+\)"
)


# --- Every text field has a limit -------------------------------------------------------------


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a module of the project's apps."""
    found = []
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        modules = [package] + [
            importlib.import_module(info.name)
            for info in pkgutil.walk_packages(package.__path__, f"{app}.")
            if not SKIPPED_MODULES.search(info.name)
        ]
        for module in modules:
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                    and hasattr(value, "base_fields")
                ):
                    found.append(value)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _declared_by_a_library(form_class, name) -> bool:
    """A field the project inherits from a library's form (allauth's), and does not redefine."""
    for base in form_class.__mro__[1:]:
        if name in getattr(base, "base_fields", {}) and not base.__module__.startswith(PROJECT_APPS):
            return True
    return False


def test_the_walk_finds_the_forms_wherever_they_are_defined():
    names = {f"{cls.__module__}.{cls.__qualname__}" for cls in project_form_classes()}
    assert {
        "fiches.forms.SuggestionForm",
        "referentiel.forms.MissionForm",
        "members.forms.ProfileForm",
        "missions.views.DeclarationForm",
        "referentiel.views.selfassessment.SelfAssessmentForm",
        "core.audit_views.AuditFilterForm",
        "dashboard.forms.DashboardFilterForm",
    } <= names


def test_every_text_field_of_the_project_has_a_max_length():
    missing = [
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for cls in project_form_classes()
        for name, form_field in cls.base_fields.items()
        if isinstance(form_field, forms.CharField)
        and form_field.max_length is None
        and not _declared_by_a_library(cls, name)
    ]
    assert not missing, (
        "Ces champs de texte n'ont pas de longueur maximale (max_length) : un envoi de plusieurs Mo "
        "y serait traité en entier. Donnez-leur une limite (core.limits.text_limits pour un "
        "TextField de modèle) :\n  " + "\n  ".join(missing)
    )


# --- 1 MB in each field of each page -------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A form of the site: where it is posted, who may use it, where it is shown."""

    url: str
    role: str
    kwargs: dict = field(default_factory=dict)  # str.format templates over the world's ids
    shown_at: str = ""  # the page showing the form, when it is posted elsewhere (same kwargs)
    form_key: str = "form"  # its name in the context of the page showing it
    # Values for the fields the page leaves empty, by their posted name (with the form's prefix, if any);
    # texts are str.format templates over the world's ids, like `query`.
    data: dict = field(default_factory=dict)
    # Parameters choosing the form on its page (e.g. ?nature=…): sent with the page's GET and with each post.
    query: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # posted along, e.g. the preview button
    headers: dict = field(default_factory=dict)
    only: tuple = ()  # the fields the endpoint reads, when not the whole form
    method: str = "post"
    # An endpoint that answers a refused form by sending back to the page with a message.
    redirects: bool = False
    # The form classes this page exercises (checked against the project's forms).
    forms: tuple = ()
    name: str = ""  # told apart from other pages of the same address in the test's id

    @property
    def id(self) -> str:
        extra = "-".join(f"{k}" for k in self.extra) or ""
        return "-".join(filter(None, [self.url, self.kwargs.get("kind", ""), self.name, extra]))


SECTION = {"slug": "{fiche}", "pk": "{section}"}
DRAFT = {"label": "{draft}"}
PAGES = [
    # Members
    Page("members:profile_edit", "member", forms=("members.forms.ProfileForm",)),
    Page("members:council_create", "member", forms=("members.forms.CouncilForm",)),
    Page(
        "members:account_delete",
        "member",
        data={"password": DEFAULT_PASSWORD, "confirm": "on"},
        forms=("members.forms.AccountDeleteForm",),
    ),
    Page("members:directory", "member", method="get", forms=("members.forms.DirectoryFilterForm",)),
    Page(
        "members:account_refuse",
        "curator",
        kwargs={"user_id": "{pending}"},
        data={"reason": "Compte en double."},
        forms=("members.forms.RefuseForm",),
    ),
    Page(
        "members:invitations",
        "curator",
        data={"emails": "nouvelle@example.org"},
        forms=("members.forms.InvitationForm",),
    ),
    # Référentiel
    Page("referentiel:self_assessment", "member", forms=("referentiel.views.selfassessment.SelfAssessmentForm",)),
    Page("missions:declaration", "member", forms=("missions.views.DeclarationForm",)),
    Page("referentiel:manage", "curator", data={"label": "v9.0"}, forms=("referentiel.forms.DraftCreateForm",)),
    Page(
        "referentiel:draft_publish",
        "curator",
        kwargs=DRAFT,
        data={"summary": "Une nouvelle version.", "confirm": "on"},
        forms=("referentiel.forms.PublishForm",),
    ),
    Page(
        "referentiel:item_edit",
        "curator",
        kwargs={**DRAFT, "kind": "missions", "code": "M1"},
        forms=("referentiel.forms.MissionForm",),
    ),
    Page(
        "referentiel:item_edit",
        "curator",
        kwargs={**DRAFT, "kind": "activites", "code": "M1.A1"},
        forms=("referentiel.forms.ActivityForm",),
    ),
    Page(
        "referentiel:item_edit",
        "curator",
        kwargs={**DRAFT, "kind": "domaines", "code": "D-1"},
        forms=("referentiel.forms.DomainForm",),
    ),
    Page(
        "referentiel:item_edit",
        "curator",
        kwargs={**DRAFT, "kind": "competences", "code": "C-1-01"},
        forms=("referentiel.forms.CompetenceForm",),
    ),
    Page(
        "referentiel:item_add",
        "curator",
        kwargs={**DRAFT, "kind": "missions"},
        data={"code": "M9", "title": "Nouvelle mission"},
        forms=("referentiel.forms.MissionForm",),
    ),
    Page(
        "referentiel:scale_edit",
        "curator",
        kwargs={**DRAFT, "value": "1"},
        forms=("referentiel.forms.ScaleLevelForm",),
    ),
    Page(
        "referentiel:scale_add",
        "curator",
        kwargs=DRAFT,
        data={"label": "Expert·e", "descriptor": "Transmet."},
        forms=("referentiel.forms.ScaleLevelForm",),
    ),
    Page("referentiel:import", "curator", data={"label": "v9.0"}, forms=("referentiel.views.transfer.ImportForm",)),
    Page("team_journal", "curator", method="get", forms=("core.audit_views.TeamJournalForm",)),
    # Fiche de poste
    Page(
        "fiches:suggestion_create",
        "member",
        kwargs=SECTION,
        data={"rationale": "Plus précis."},
        forms=("fiches.forms.SuggestionForm",),
    ),
    Page(
        "fiches:suggestion_create",
        "member",
        kwargs=SECTION,
        data={"rationale": "Plus précis."},
        extra={"preview": "1"},
        forms=("fiches.forms.SuggestionForm",),
    ),
    Page(
        "fiches:suggestion_preview",
        "member",
        kwargs=SECTION,
        shown_at="fiches:suggestion_create",
        headers={"HX-Request": "true"},
        only=("body",),
    ),
    Page(
        "fiches:suggestion_update",
        "member",
        kwargs={"pk": "{suggestion}"},
        forms=("fiches.forms.SuggestionUpdateForm",),
    ),
    Page(
        "fiches:suggestion_update",
        "member",
        kwargs={"pk": "{suggestion}"},
        extra={"preview": "1"},
        forms=("fiches.forms.SuggestionUpdateForm",),
    ),
    Page(
        "fiches:comment_create",
        "member",
        kwargs={"pk": "{suggestion}"},
        shown_at="fiches:suggestion",
        form_key="comment_form",
        data={"body": "Mon avis."},
        redirects=True,
        forms=("fiches.forms.CommentForm",),
    ),
    Page(
        "fiches:suggestion_reject",
        "curator",
        kwargs={"pk": "{suggestion}"},
        shown_at="fiches:suggestion",
        form_key="reject_form",
        data={"reason": "Hors sujet."},
        redirects=True,
        forms=("fiches.forms.RejectForm",),
    ),
    Page(
        "fiches:comment_report",
        "other",
        kwargs={"pk": "{comment}"},
        data={"reason": "Hors sujet."},
        forms=("fiches.forms.ReasonForm",),
    ),
    Page(
        "fiches:comment_hide",
        "curator",
        kwargs={"pk": "{comment}"},
        data={"reason": "Hors charte."},
        forms=("fiches.forms.ReasonForm",),
    ),
    Page("fiches:section_edit", "curator", kwargs=SECTION, forms=("fiches.forms.SectionEditForm",)),
    Page(
        "fiches:version_publish",
        "curator",
        kwargs={"slug": "{fiche}"},
        data={"label": "v9.0"},
        forms=("fiches.forms.PublishForm",),
    ),
    Page("fiches:notifications", "member", forms=("fiches.forms.NotificationSettingForm",)),
    Page(
        "fiches:my_fiche",
        "other",
        data={"job_title": "Chargé de mission"},
        forms=("fiches.forms.PersonalFicheForm",),
    ),
    Page("fiches:my_fiche_edit", "member", forms=("fiches.forms.PersonalFicheForm",)),
    Page(
        "fiches:my_section_edit",
        "member",
        kwargs={"pk": "{personal_section}"},
        forms=("fiches.forms.PersonalSectionForm",),
    ),
    # Boîte à outils
    *[
        Page(
            "toolbox:edit",
            "member",
            kwargs={"pk": f"{{draft_{kind}}}"},
            name=kind,
            forms=("toolbox.forms.ResourceForm",),
        )
        for kind in ResourceKind.values
    ],
    Page(
        "toolbox:create",
        "member",
        query={"nature": ResourceKind.METHOD.value},
        data={
            "title": "Débat mouvant",
            "summary": "Faire prendre position en se déplaçant.",
            "purpose": "Faire débattre.",
            "steps": "1. Une question.",
        },
        forms=("toolbox.forms.ResourceForm",),
    ),
    Page(
        "toolbox:decide",
        "curator",
        kwargs={"pk": "{submitted}"},
        shown_at="toolbox:detail",
        form_key="decision_form",
        data={"decision": "modifications"},
        only=("reason",),
        forms=("toolbox.forms.DecisionForm",),
    ),
    Page(
        "toolbox:use",
        "other",
        kwargs={"pk": "{resource}"},
        shown_at="toolbox:detail",
        form_key="use_form",
        forms=("toolbox.forms.UseForm",),
    ),
    Page(
        "toolbox:comment_add",
        "other",
        kwargs={"pk": "{resource}"},
        shown_at="toolbox:detail",
        form_key="comment_form",
        data={"body": "Testée avec notre conseil : très utile."},
        forms=("toolbox.forms.CommentForm",),
    ),
    # Rencontres
    Page("meetings:list", "member", method="get", form_key="filters", forms=("meetings.forms.MeetingFilterForm",)),
    Page(
        "meetings:create",
        "curator",
        data={
            "title": "Séminaire d'automne",
            "summary": "Une journée pour relire la fiche de poste.",
            "starts_at": "2030-10-08T09:30",
            "ends_at": "2030-10-08T17:00",
            "format": "sur-place",
            "place": "Maison des associations",
            "audience": "membres",
        },
        forms=("meetings.forms.MeetingForm",),
    ),
    Page("meetings:edit", "member", kwargs={"pk": "{meeting}"}, forms=("meetings.forms.MeetingForm",)),
    Page(
        "meetings:meeting_cancel",
        "member",
        kwargs={"pk": "{meeting}"},
        data={"reason": "La salle n'est plus disponible."},
        forms=("meetings.forms.CancelForm",),
    ),
    Page(
        "meetings:organisers",
        "member",
        kwargs={"pk": "{meeting}"},
        data={"email": "{other_email}"},
        forms=("meetings.forms.OrganiserForm",),
    ),
    Page("meetings:minutes", "member", kwargs={"pk": "{meeting}"}, forms=("meetings.forms.MinutesForm",)),
    Page(
        "meetings:materials",
        "member",
        kwargs={"pk": "{meeting}"},
        form_key="link_form",
        data={"lien-title": "Diaporama", "lien-url": "https://example.org/diaporama.pdf"},
        extra={"source": "lien"},
        name="lien",
        forms=("meetings.forms.MaterialLinkForm",),
    ),
    Page(
        "meetings:materials",
        "member",
        kwargs={"pk": "{meeting}"},
        form_key="resource_form",
        data={"ressource-resource": "{resource}"},
        extra={"source": "ressource"},
        name="ressource",
        forms=("meetings.forms.MaterialResourceForm",),
    ),
    Page(
        "meetings:materials",
        "member",
        kwargs={"pk": "{meeting}"},
        form_key="file_form",
        extra={"source": "fichier"},
        name="fichier",
        forms=("meetings.forms.MaterialFileForm",),
    ),
    Page(
        "meetings:workshop_create",
        "member",
        kwargs={"pk": "{meeting}"},
        data={"kind": "table", "title": "Table 2 : les saisines"},
        forms=("meetings.forms.WorkshopForm",),
    ),
    Page("meetings:workshop_edit", "member", kwargs={"pk": "{workshop}"}, forms=("meetings.forms.WorkshopForm",)),
    Page("meetings:workshop_assign", "member", kwargs={"pk": "{workshop}"}, forms=("meetings.forms.AssignForm",)),
    Page("meetings:workshop_notes", "member", kwargs={"pk": "{workshop}"}, forms=("meetings.forms.NotesForm",)),
    Page(
        "meetings:outcomes",
        "member",
        kwargs={"pk": "{meeting}"},
        query={"nature": "proposition", "section": "{section}"},
        data={"title": "Ajouter les comptes rendus", "body": "Préparer les comptes rendus des séances."},
        name="proposition",
        forms=("meetings.forms.OutcomeProposalForm",),
    ),
    Page(
        "meetings:outcomes",
        "member",
        kwargs={"pk": "{meeting}"},
        query={"nature": "note"},
        data={"title": "Préciser l'activité M1.A1", "body": "Les tables ont proposé une reformulation."},
        name="note",
        forms=("meetings.forms.OutcomeNoteForm",),
    ),
    Page(
        "meetings:register",
        "other",
        kwargs={"pk": "{meeting}"},
        forms=("meetings.views.registration.RegistrationForm",),
    ),
    # Key figures and the audit log (filters, sent by GET)
    Page("dashboard:network", "curator", method="get", forms=("dashboard.forms.DashboardFilterForm",)),
    Page("audit_list", "admin", method="get", forms=("core.audit_views.AuditFilterForm",)),
]
# Forms no page of the site posts to, with the reason.
NOT_POSTED = {
    # allauth's forms, extended for the wording: their fields are allauth's.
    "members.forms.SignupForm": "inscription (allauth)",
    "members.mfa.MFAActivateTOTPForm": "double authentification (allauth)",
    "members.mfa.MFAAuthenticateForm": "double authentification (allauth)",
    "members.mfa.MFAReauthenticateForm": "double authentification (allauth)",
    # The base of the référentiel's item forms, posted through each of them.
    "referentiel.forms.VersionItemForm": "classe de base",
    # A competence's external links: a formset on the competence's page, its texts bounded by their model
    # fields (uri 500, code 80, title 300); tests/referentiel/test_tree.py posts it.
    "referentiel.forms.AlignmentForm": "formset du formulaire de compétence",
    # The import preview's mapping: built from the file read into the session (its one text, the typed
    # scale, has max_length=2000); tests/referentiel/test_import_real_files.py posts it.
    "referentiel.views.transfer.MappingForm": "aperçu d'import (fichier en session)",
    # The toolbox's import: one field, a file (CSV or XLSX), nothing typed; a cell of 1 MB is refused by
    # test_1_mb_in_a_cell_of_the_toolbox_import_is_refused_quickly (below).
    "toolbox.views.transfer.ImportForm": "import de la boîte à outils (un fichier, pas de texte saisi)",
    # A comment's report and moderation: posted on the comment's own address, from its resource's page;
    # tests/toolbox/test_resources.py::test_one_megabyte_reasons_are_refused_with_a_message posts 1 MB to both.
    "toolbox.forms.ReasonForm": "signalement d'un commentaire (test_resources.py)",
    "toolbox.forms.ModerationForm": "modération d'un commentaire (test_resources.py)",
}
# Pages that show a diff of the text being written: a refused text is never compared.
PREVIEWS = {"fiches:suggestion_create", "fiches:suggestion_update", "fiches:suggestion_preview"}
NO_PREVIEW = re.compile(r"Pas d(&#x27;|')aperçu")


@dataclass
class World:
    ids: dict
    users: dict


@pytest.fixture
def world(db) -> World:
    users = {
        "member": UserFactory(),
        "other": UserFactory(),
        "pending": UserFactory(pending=True),
        "curator": UserFactory(curator=True),
        "admin": UserFactory(admin=True),
    }
    member, curator = users["member"], users["curator"]
    for user in users.values():
        ProfileFactory(user=user)
    build_version(small_data("v1.0"))
    draft = build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    fiche = fiche_with_sections(2, slug=COMMON_FICHE_SLUG)
    section = fiche.sections.order_by("order").first()
    fiche_services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première", actor=curator)
    section.refresh_from_db()
    suggestion = fiche_services.suggestion_create(
        section_id=section.pk, author=member, body=section.current_body + " Et plus.", rationale="Plus précis."
    )
    comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=member, body="Mon avis.")
    personal = fiche_services.personal_fiche_create(owner=member, fiche=fiche, job_title="Chargée de mission")
    # Boîte à outils: a published resource, one waiting for the team, a draft of each kind.
    resource = make_resource(member, published_by=curator)
    submitted = make_resource(member, title="Une ressource à relire")
    toolbox_services.resource_submit(resource_id=submitted.pk, user=member)
    drafts = {f"draft_{kind}": make_resource(member, kind=kind, title=f"Brouillon {kind}") for kind in ResourceKind}
    # Rencontres: announced, organised by the member, with a sub-group and another member registered.
    meeting = make_meeting(member)
    workshop = meeting_services.workshop_create(
        meeting_id=meeting.pk,
        actor=member,
        values={"kind": WorkshopKind.TABLE, "title": "Table 1 : la mobilité", "topic": "Se déplacer sans voiture."},
    )
    meeting_registration.register(
        meeting_id=meeting.pk, user=users["other"], mode=AttendanceMode.ON_SITE, needs="Accès en fauteuil."
    )
    ids = {
        "pending": users["pending"].pk,
        "draft": draft.label,
        "fiche": fiche.slug,
        "section": section.pk,
        "suggestion": suggestion.pk,
        "comment": comment.pk,
        "personal_section": personal.sections.order_by("order").first().pk,
        "resource": resource.pk,
        "submitted": submitted.pk,
        **{key: resource_draft.pk for key, resource_draft in drafts.items()},
        "meeting": meeting.pk,
        "workshop": workshop.pk,
        "other_email": users["other"].email,
    }
    return World(ids=ids, users=users)


def database_state() -> dict:
    """Every row of every model of the project's apps (the sample world is small)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for app in PROJECT_APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


def _takes_input(form_field) -> bool:
    return not isinstance(form_field, forms.FileField | forms.BooleanField)


def _as_posted(value):
    if isinstance(value, list | tuple):
        return [_as_posted(item) for item in value]
    if value is None:
        return ""
    if value is True:
        return "on"
    return getattr(value, "pk", value)


def _filled_in(form, page: Page, ids: dict) -> dict:
    """The form as the page offers it (initial values), with the page's values for what it leaves empty."""
    data = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        posted = form.add_prefix(name)
        if isinstance(form_field, forms.BooleanField):
            if value:
                data[posted] = "on"
            continue
        if isinstance(value, datetime.date | datetime.time):
            value = form_field.widget.format_value(value)  # as the page writes it (e.g. a datetime-local input)
        if isinstance(form_field, forms.MultipleChoiceField) and value is None:
            value = []  # nothing ticked: nothing posted
        data[posted] = _as_posted(value)
    return data | _formatted(page.data, ids)


def _formatted(values: dict, ids: dict) -> dict:
    return {key: value.format(**ids) if isinstance(value, str) else value for key, value in values.items()}


@pytest.mark.parametrize("form_page", PAGES, ids=[page.id for page in PAGES])
def test_1_mb_in_each_field_is_refused_quickly_and_changes_nothing(form_page, world, client):
    page = form_page
    client.force_login(world.users[page.role])
    kwargs = _formatted(page.kwargs, world.ids)
    query = _formatted(page.query, world.ids)
    url = reverse(page.url, kwargs=kwargs)
    shown = client.get(reverse(page.shown_at or page.url, kwargs=kwargs), query)
    assert shown.status_code == 200, shown
    form = shown.context[page.form_key]
    names = page.only or [name for name, form_field in form.fields.items() if _takes_input(form_field)]
    assert names, f"{page.id} : aucun champ à essayer"
    baseline = _filled_in(form, page, world.ids)
    for name in names:
        data = {**query, **baseline, form.add_prefix(name): ONE_MB, **page.extra}
        before = database_state()
        started = time.perf_counter()
        response = client.get(url, data) if page.method == "get" else client.post(url, data, headers=page.headers)
        seconds = time.perf_counter() - started
        where = f"{page.id}, champ {name}"
        assert seconds < SECONDS, f"{where} : {seconds:.1f} s"
        assert database_state() == before, f"{where} : la base a changé"
        form_field = form.fields[name]
        is_text = isinstance(form_field, forms.CharField)
        if page.redirects:
            assert response.status_code == 302, where
            followed = client.get(response["Location"])
            message = followed.content.decode()
            assert "alert-danger" in message and (MAX_LENGTH_ERROR.search(message) or "trop long" in message), where
            continue
        assert response.status_code in {200, 400}, f"{where} : {response.status_code}"
        content = response.content.decode()
        if is_text and not form_field.widget.is_hidden:  # a hidden field's errors are not shown on its own
            assert MAX_LENGTH_ERROR.search(content), f"{where} : pas de message de longueur maximale"
        if page.url in PREVIEWS and name == "body":
            # The 1 MB is never compared with the current text: the preview says why there is none.
            assert NO_PREVIEW.search(content), where
            assert "<ins>" not in content and "<del>" not in content, where
        if page.url != "fiches:suggestion_preview":
            assert response.context[page.form_key].has_error(name), f"{where} : le champ n'est pas refusé"


def test_every_form_of_the_project_is_posted_to():
    posted = {name for page in PAGES for name in page.forms}
    project = {f"{cls.__module__}.{cls.__qualname__}" for cls in project_form_classes()}
    missing = sorted(project - posted - set(NOT_POSTED))
    assert not missing, f"Formulaires sans page dans PAGES (test_input_limits.py) : {missing}"
    assert posted <= project, sorted(posted - project)


def test_1_mb_in_a_cell_of_the_toolbox_import_is_refused_quickly(world, client, settings):
    """The toolbox's import form is a file only (in NOT_POSTED): 1 MB in any cell of the CSV refuses the file,
    with a French message, quickly; nothing is created, nor kept in the session for a confirmation."""
    settings.PREVIEWS_PER_MINUTE = 1000
    client.force_login(world.users["curator"])
    columns = list(toolbox_transfer.IMPORT_COLUMNS)
    row = {
        "nature": ResourceKind.METHOD.value,
        "titre": "World café",
        "en_bref": "Faire parler un grand groupe.",
        "objectif": "Faire émerger les idées.",
        "deroule": "1. Accueil",
    }
    for column in columns:
        output = io.StringIO()
        writer = csv.writer(output)
        writer.writerow(columns)
        writer.writerow([ONE_MB if name == column else row.get(name, "") for name in columns])
        upload = SimpleUploadedFile("ressources.csv", output.getvalue().encode(), content_type="text/csv")
        before = database_state()
        started = time.perf_counter()
        response = client.post(reverse("toolbox:import"), {"file": upload})
        seconds = time.perf_counter() - started
        assert seconds < SECONDS, f"colonne {column} : {seconds:.1f} s"
        assert database_state() == before, f"colonne {column} : la base a changé"
        assert response.status_code == 200, column
        assert re.search(r"dépasse \d+ caractères", response.content.decode()), column
        assert transfer_views.SESSION_KEY not in client.session, column
