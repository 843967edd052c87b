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
  fails when a form class of the project is on none of them.
"""

import importlib
import pkgutil
import re
import time
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.urls import reverse

from competences.enums import FrameworkStatus
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data

PROJECT_APPS = ("core", "members", "competences", "missions", "referentiel", "fiches", "dashboard")
# Modules that hold no forms and cannot be imported on their own (settings, entry points).
SKIPPED_MODULES = re.compile(r"\.(settings|migrations|management)(\.|$)|\.(wsgi|asgi)$")

ONE_MB = "x" * (1024 * 1024)
# Loose on purpose (a busy test machine): the unchecked preview took 76 s on 1 MB.
SECONDS = 5
MAX_LENGTH_ERROR = re.compile(r"Assurez-vous que cette valeur comporte au plus \d+ caractères? \(actuellement \d+\)")


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
    data: dict = field(default_factory=dict)  # values for the fields the page leaves empty
    extra: dict = field(default_factory=dict)  # posted along, e.g. the preview button
    headers: dict = field(default_factory=dict)
    only: tuple = ()  # the fields the endpoint reads, when not the whole form
    method: str = "post"
    # An endpoint that answers a refused form by sending back to the page with a message.
    redirects: bool = False
    # The form classes this page exercises (checked against the project's forms).
    forms: tuple = ()

    @property
    def id(self) -> str:
        extra = "-".join(f"{k}" for k in self.extra) or ""
        return "-".join(filter(None, [self.url, self.kwargs.get("kind", ""), extra]))


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
    ids = {
        "pending": users["pending"].pk,
        "draft": draft.label,
        "fiche": fiche.slug,
        "section": section.pk,
        "suggestion": suggestion.pk,
        "comment": comment.pk,
        "personal_section": personal.sections.order_by("order").first().pk,
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


def _filled_in(form, page: Page) -> dict:
    """The form as the page offers it (initial values), with the page's values for what it leaves empty."""
    data = {}
    for name, form_field in form.fields.items():
        value = form[name].value()
        if isinstance(form_field, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        data[name] = _as_posted(value)
    return data | page.data


@pytest.mark.parametrize("form_page", PAGES, ids=[page.id for page in PAGES])
def test_1_mb_in_each_field_is_refused_quickly_and_changes_nothing(form_page, world, client):
    page = form_page
    client.force_login(world.users[page.role])
    kwargs = {key: value.format(**world.ids) for key, value in page.kwargs.items()}
    url = reverse(page.url, kwargs=kwargs)
    shown = client.get(reverse(page.shown_at or page.url, kwargs=kwargs))
    assert shown.status_code == 200, shown
    form = shown.context[page.form_key]
    names = page.only or [name for name, form_field in form.fields.items() if _takes_input(form_field)]
    assert names, f"{page.id} : aucun champ à essayer"
    baseline = _filled_in(form, page)
    for name in names:
        data = {**baseline, name: ONE_MB, **page.extra}
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
