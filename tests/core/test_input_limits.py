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
import random
import re
import time
from dataclasses import dataclass, field

import openpyxl
import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from competences.enums import FrameworkStatus
from exchange import moderation as exchange_moderation
from exchange.models import Message, MessagingPreference
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG
from meetings import registration as meeting_registration
from meetings import services as meeting_services
from meetings.enums import AttendanceMode, WorkshopKind
from showcase.enums import WorkKind, WorkLicence
from surveys import campaigns as survey_campaigns
from surveys.enums import QuestionKind
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory, conversation_between
from tests.fiches.factories import fiche_with_sections
from tests.meetings.factories import make_meeting
from tests.members.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.showcase.factories import CouncilPageFactory, ThemeFactory
from tests.showcase.works_helpers import published_work
from tests.surveys.factories import make_campaign, make_questionnaire, make_response
from tests.toolbox.factories import make_resource
from tests.training.factories import make_mentor, make_training
from toolbox import services as toolbox_services
from toolbox import transfer as toolbox_transfer
from toolbox.enums import ResourceKind
from toolbox.views import transfer as transfer_views
from training import mentoring as training_mentoring
from training import plans as training_plans
from training import transfer as training_transfer
from training import welcome as training_welcome
from training.enums import ActionKind, ActionStatus, ProviderKind, TrainingFormat
from training.views import catalogue as training_catalogue_views

PROJECT_APPS = (
    "core",
    "members",
    "competences",
    "missions",
    "referentiel",
    "fiches",
    "toolbox",
    "meetings",
    "training",
    "surveys",
    "dashboard",
    "exchange",
    "showcase",
)
# Modules that hold no forms and cannot be imported on their own (settings, entry points).
SKIPPED_MODULES = re.compile(r"\.(settings|migrations|management)(\.|$)|\.(wsgi|asgi)$")

ONE_MB = "x" * (1024 * 1024)
# Loose on purpose (a busy test machine): the unchecked preview took 76 s on 1 MB.
SECONDS = 5
# Django's message, or a form's own wording of it (meetings: "… 200 caractères au plus (actuellement 1048576).",
# the portfolio: "L'introduction ne peut pas dépasser 3000 caractères (elle en compte 1048576).").
MAX_LENGTH_ERROR = re.compile(
    r"Assurez-vous que cette valeur comporte au plus \d+ caractères? \(actuellement \d+\)"
    r"|\d+ caractères? au plus \((actuellement|vous en avez écrit) \d+\)"
    r"|ne peut pas dépasser \d+ caractères? \((elle|il) en compte \d+\)"
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
    shown_kwargs: dict = field(default_factory=dict)  # that page's kwargs, when not the same
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
    # Parcours: the catalogue of trainings
    Page(
        "training:create",
        "curator",
        data={
            "title": "Conduire une concertation",
            "summary": "Deux jours pour concevoir une démarche.",
            "provider_kind": ProviderKind.CNFPT.value,
            "provider": "CNFPT – INSET de Dunkerque",
            "format": TrainingFormat.ON_SITE.value,
        },
        forms=("training.forms.TrainingForm",),
    ),
    Page("training:edit", "curator", kwargs={"pk": "{training}"}, forms=("training.forms.TrainingForm",)),
    Page(
        "training:sessions",
        "curator",
        kwargs={"pk": "{training}"},
        data={"starts_on": "2030-03-12", "place": "Lille"},
        forms=("training.forms.SessionForm",),
    ),
    Page(
        "training:session_edit",
        "curator",
        kwargs={"pk": "{training}", "session_pk": "{training_session}"},
        forms=("training.forms.SessionForm",),
    ),
    Page(
        "training:completion",
        "member",
        kwargs={"pk": "{training}"},
        data={"completed_on": "2025-11-20"},
        forms=("training.forms.CompletionForm",),
    ),
    # Parcours: the development plan
    Page(
        "training:plan_reference",
        "member",
        shown_at="training:plan",
        form_key="reference_form",
        redirects=True,
        forms=("training.plan_forms.ReferenceForm",),
    ),
    Page(
        "training:plan_priority_add",
        "member",
        shown_at="training:plan",
        form_key="priority_form",
        data={"code": "C-1-01"},
        redirects=True,
        forms=("training.plan_forms.PriorityForm",),
    ),
    Page(
        "training:plan_priority_edit",
        "member",
        kwargs={"pk": "{plan_priority}"},
        forms=("training.plan_forms.PriorityNoteForm",),
    ),
    Page(
        "training:plan_action_add",
        "member",
        data={"title": "Lire le guide de la concertation"},
        forms=("training.plan_forms.ActionForm",),
    ),
    Page(
        "training:plan_action_edit", "member", kwargs={"pk": "{plan_action}"}, forms=("training.plan_forms.ActionForm",)
    ),
    # Parcours: mentoring and the newcomers' path
    Page("training:mentor_offers", "member", forms=("training.mentoring_forms.OffersForm",)),
    Page("training:mentors", "member", method="get", forms=("training.mentoring_forms.CompetenceChoiceForm",)),
    Page(
        "training:request_create",
        "member",
        kwargs={"user_id": "{mentor}"},
        query={"competence": "C-1-01"},
        # The hidden `code` is the competence of the address: 1 MB there is a 404 (test_1_mb_in_the_code_…).
        only=("message",),
        forms=("training.mentoring_forms.RequestForm",),
    ),
    *[
        Page(
            f"training:request_{answer}",
            "other",
            kwargs={"pk": "{mentoring_request}"},
            shown_at="training:request_detail",
            form_key="answer_form",
            forms=("training.mentoring_forms.AnswerForm",),
        )
        for answer in ("accept", "decline")
    ],
    Page(
        "training:welcome_step_create",
        "curator",
        data={"title": "Rencontrer un·e pair"},
        forms=("training.mentoring_forms.WelcomeStepForm",),
    ),
    Page(
        "training:welcome_step_edit",
        "curator",
        kwargs={"pk": "{welcome_step}"},
        forms=("training.mentoring_forms.WelcomeStepForm",),
    ),
    # Parcours: the portfolio (the preview, the PDF, the JSON, all from the same form) and the team's needs
    *[
        Page(url, "member", shown_at="training:portfolio", forms=("training.portfolio_forms.PortfolioForm",))
        for url in ("training:portfolio", "training:portfolio_pdf", "training:portfolio_json")
    ],
    Page(
        "training:portfolio",
        "member",
        headers={"HX-Request": "true"},  # the live preview: htmx swaps the preview only
        name="htmx",
        forms=("training.portfolio_forms.PortfolioForm",),
    ),
    Page("training:needs", "curator", method="get", forms=("training.needs_forms.NeedsFilterForm",)),
    # Enquêtes: questionnaires, parts, questions of each kind, campaigns (the team)
    Page(
        "surveys:questionnaire_create",
        "curator",
        data={"title": "Enquête sur les pratiques 2027"},
        forms=("surveys.authoring_forms.QuestionnaireForm",),
    ),
    Page(
        "surveys:questionnaire_edit",
        "curator",
        kwargs={"pk": "{questionnaire}"},
        forms=("surveys.authoring_forms.QuestionnaireForm",),
    ),
    Page(
        "surveys:section_create",
        "curator",
        kwargs={"pk": "{questionnaire}"},
        data={"title": "Vos partenaires"},
        forms=("surveys.authoring_forms.SectionForm",),
    ),
    Page(
        "surveys:section_edit",
        "curator",
        kwargs={"pk": "{survey_section}"},
        forms=("surveys.authoring_forms.SectionForm",),
    ),
    *[
        Page(
            "surveys:question_create",
            "curator",
            kwargs={"pk": "{survey_section_last}"},
            query={"type": kind},
            data={"text": "Une nouvelle question ?", "options": "un | Un\ndeux | Deux"},
            name=kind,
            forms=("surveys.authoring_forms.QuestionForm",),
        )
        for kind in QuestionKind.values
    ],
    *[
        Page(
            "surveys:question_edit",
            "curator",
            kwargs={"pk": f"{{survey_question_{kind}}}"},
            name=kind,
            forms=("surveys.authoring_forms.QuestionForm",),
        )
        for kind in QuestionKind.values
    ],
    Page(
        "surveys:campaign_create",
        "curator",
        kwargs={"pk": "{questionnaire}"},
        data={
            "title": "Enquête 2028",
            "opens_at": "2030-01-10T09:00",
            "closes_at": "2030-02-10T18:00",
            "publication_note": "Les résultats agrégés seront publiés.",
        },
        forms=("surveys.authoring_forms.CampaignForm",),
    ),
    Page(
        "surveys:campaign_edit",
        "curator",
        kwargs={"pk": "{draft_campaign}"},
        forms=("surveys.authoring_forms.CampaignForm",),
    ),
    # Enquêtes: results (filters sent by GET, the public summary)
    Page(
        "surveys:results",
        "curator",
        kwargs={"pk": "{closed_campaign}"},
        method="get",
        forms=("surveys.results_forms.ResultsFilterForm",),
    ),
    Page(
        "surveys:compare",
        "curator",
        kwargs={"pk": "{closed_campaign}"},
        method="get",
        forms=("surveys.results_forms.CompareForm",),
    ),
    Page(
        "surveys:results_publish",
        "curator",
        kwargs={"pk": "{closed_campaign}"},
        data={"public_summary": "Cinq technicien·nes ont répondu."},
        forms=("surveys.results_forms.PublishForm",),
    ),
    # Key figures and the audit log (filters, sent by GET)
    Page("dashboard:network", "curator", method="get", forms=("dashboard.forms.DashboardFilterForm",)),
    Page("audit_list", "admin", method="get", forms=("core.audit_views.AuditFilterForm",)),
    # Entraide: questions and answers
    Page(
        "exchange:ask",
        "member",
        data={
            "space": "{exchange_space}",
            "title": "Comment associer les jeunes ?",
            "body": "Notre conseil cherche des idées pour associer les 16-25 ans.",
        },
        forms=("exchange.forms.QuestionForm",),
    ),
    Page(
        "exchange:question_edit", "member", kwargs={"pk": "{exchange_question}"}, forms=("exchange.forms.QuestionForm",)
    ),
    Page(
        "exchange:answer_add",
        "other",
        kwargs={"pk": "{exchange_question}"},
        shown_at="exchange:question",
        form_key="answer_form",
        data={"body": "Nous passons par les lycées de l'agglomération."},
        forms=("exchange.forms.AnswerForm",),
    ),
    Page("exchange:answer_edit", "member", kwargs={"pk": "{exchange_answer}"}, forms=("exchange.forms.AnswerForm",)),
    # Entraide: private messages
    Page(
        "exchange:conversation",
        "member",
        kwargs={"uuid": "{exchange_conversation}"},
        data={"body": "Merci pour votre message."},
        forms=("exchange.forms_messages.MessageForm",),
    ),
    Page(
        "exchange:conversation_start",
        "member",
        kwargs={"user_id": "{exchange_recipient}"},
        data={"body": "Bonjour, pourrions-nous échanger sur vos ateliers ?"},
        forms=("exchange.forms_messages.MessageForm",),
    ),
    Page(
        "exchange:message_report",
        "member",
        kwargs={"message_id": "{exchange_message}"},
        data={"reason": "Message publicitaire."},
        forms=("exchange.forms_messages.ReportForm",),
    ),
    # Entraide: reports and moderation
    Page(
        "exchange:moderation_question_report",
        "other",
        kwargs={"pk": "{exchange_question}"},
        data={"reason": "Hors sujet."},
        forms=("exchange.moderation_forms.ReportForm",),
    ),
    Page(
        "exchange:moderation_answer_report",
        "other",
        kwargs={"pk": "{exchange_answer}"},
        data={"reason": "Hors sujet."},
        forms=("exchange.moderation_forms.ReportForm",),
    ),
    Page(
        "exchange:moderation_report",
        "curator",
        kwargs={"pk": "{exchange_report}"},
        data={"decision": "classer", "reason": "Rien d'inapproprié."},
        forms=("exchange.moderation_forms.DecisionForm",),
    ),
    *[
        Page(
            f"exchange:moderation_{action}",
            "curator",
            kwargs={"pk": f"{{exchange_{action.split('_')[0]}}}"},
            data={"reason": "Hors charte."},
            forms=("exchange.moderation_forms.ReasonForm",),
        )
        for action in (
            "question_hide",
            "question_restore",
            "question_lock",
            "question_unlock",
            "answer_hide",
            "answer_restore",
        )
    ],
    Page(
        "exchange:moderation_message_restore",
        "curator",
        kwargs={"pk": "{exchange_hidden_message}"},
        data={"reason": "Signalement infondé."},
        forms=("exchange.moderation_forms.ReasonForm",),
    ),
    Page(
        "exchange:moderation_question_move",
        "curator",
        kwargs={"pk": "{exchange_question}"},
        data={"space": "{exchange_other_space}", "reason": "Mieux à sa place ici."},
        forms=("exchange.moderation_forms.MoveForm",),
    ),
    Page(
        "exchange:team_space_create",
        "curator",
        data={"name": "Participation des jeunes"},
        forms=("exchange.moderation_forms.SpaceForm",),
    ),
    Page(
        "exchange:team_space_edit",
        "curator",
        kwargs={"pk": "{exchange_space}"},
        forms=("exchange.moderation_forms.SpaceForm",),
    ),
    # Vitrine: council pages, the team's check, themes
    Page("showcase:councils", "member", method="get", forms=("showcase.forms_councils.PageFilterForm",)),
    Page(
        "showcase:my_page",
        "member",
        data={"presentation": "Un conseil ouvert à tous les habitant·es."},
        forms=("showcase.forms_councils.PageForm",),
    ),
    Page(
        "showcase:council_edit",
        "curator",
        kwargs={"slug": "{council_page}"},
        forms=("showcase.forms_councils.PageForm",),
    ),
    Page(
        "showcase:council_check",
        "curator",
        kwargs={"slug": "{council_page}"},
        shown_at="showcase:council",
        form_key="check_form",
        data={"decision": "modifications", "comment": "Précisez le mode de désignation."},
        forms=("showcase.forms_councils.CheckForm",),
    ),
    Page("showcase:themes", "curator", data={"name": "Mobilités"}, forms=("showcase.forms_councils.ThemeCreateForm",)),
    Page("showcase:theme_edit", "curator", kwargs={"pk": "{theme}"}, forms=("showcase.forms_councils.ThemeForm",)),
    # Vitrine: works
    Page(
        "showcase:work_create",
        "curator",
        data={
            "page": "{council_page_pk}",
            "kind": WorkKind.OPINION.value,
            "title": "Avis sur le plan climat",
            "summary": "Le conseil propose trois mesures.",
            "issued_on": "2025-03-14",
            "licence": WorkLicence.ETALAB.value,
        },
        forms=("showcase.forms_works.WorkForm",),
    ),
    Page("showcase:work_edit", "curator", kwargs={"pk": "{work}"}, forms=("showcase.forms_works.WorkForm",)),
    Page("showcase:work_followup", "curator", kwargs={"pk": "{work}"}, forms=("showcase.forms_works.FollowUpForm",)),
    Page(
        "showcase:work_moderate",
        "curator",
        kwargs={"pk": "{work}"},
        shown_at="showcase:work",
        shown_kwargs={"pk": "{work}", "slug": "{work_slug}"},
        form_key="hide_form",
        forms=("showcase.forms_works.HideForm",),
    ),
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
    # The catalogue's import: one field, a file (CSV or XLSX), nothing typed; a cell of 1 MB is refused by
    # test_1_mb_in_a_cell_of_the_training_import_is_refused_quickly (below).
    "training.forms.ImportForm": "import du catalogue des formations (un fichier, pas de texte saisi)",
    # Sharing one's plan: two check boxes, nothing typed.
    "training.plan_forms.SharingForm": "partage du plan (deux cases à cocher)",
    # Deleting a questionnaire, a part, a question or a campaign: a confirmation without any field.
    "surveys.authoring_forms.ConfirmForm": "confirmation de suppression (aucun champ)",
    # Accepting private messages, appearing on one's council page: a check box, nothing typed.
    "exchange.forms_messages.PreferenceForm": "préférence de messagerie (une case à cocher)",
    "showcase.forms_councils.PreferenceForm": "apparaître sur la page du conseil (une case à cocher)",
    # A work's document: one field, a PDF, nothing typed (tests/showcase/test_documents.py).
    "showcase.forms_works.DocumentForm": "document d'un travail (un fichier PDF, pas de texte saisi)",
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
        **_training_world(users),
        **_surveys_world(users),
        **_exchange_world(users),
        **_showcase_world(users),
    }
    return World(ids=ids, users=users)


def _training_world(users) -> dict:
    """Parcours: a published training with a session, a welcome step, the other member offering help on C-1-01
    and C-1-03 with the member's request on C-1-03 waiting for them, the member's plan with a priority and an action."""
    member, other, curator = users["member"], users["other"], users["curator"]
    training = make_training(codes=("C-1-01",))
    step = training_welcome.step_create(
        actor=curator, values={"title": "Lire la fiche de poste", "description": "Pour commencer.", "link": ""}
    )
    make_mentor(other, "C-1-01", "C-1-03")
    mentoring_request = training_mentoring.request_create(
        requester=member, mentor=other, code="C-1-03", message="Pourriez-vous m'accompagner ?"
    )
    priority = training_plans.priority_add(user=member, code="C-1-02", note="Pour mon entretien annuel.")
    action = training_plans.action_create(
        user=member,
        values={
            "kind": ActionKind.OTHER,
            "code": "C-1-02",
            "title": "Relire mes comptes rendus",
            "training": None,
            "resource": None,
            "peer": None,
            "target_date": None,
            "status": ActionStatus.PLANNED,
            "done_on": None,
            "note": "",
        },
    )
    return {
        "training": training.pk,
        "training_session": training.sessions.first().pk,
        "welcome_step": step.pk,
        "mentor": other.pk,
        "mentoring_request": mentoring_request.pk,
        "plan_priority": priority.pk,
        "plan_action": action.pk,
    }


def _surveys_world(users) -> dict:
    """Enquêtes: a questionnaire nobody answered (one question of each kind, a campaign in preparation), and one
    with an open campaign to answer and a closed campaign of five responses whose results may be published."""
    curator = users["curator"]
    questionnaire = make_questionnaire(created_by=curator)
    draft = survey_campaigns.campaign_create(
        questionnaire_id=questionnaire.pk,
        actor=curator,
        values={
            "title": "Enquête 2027",
            "opens_at": timezone.now() + datetime.timedelta(days=30),
            "closes_at": timezone.now() + datetime.timedelta(days=60),
            "anonymous": True,
            "publication_note": "Les résultats agrégés seront publiés.",
        },
    )
    answered = make_questionnaire(title="Enquête sur les moyens", created_by=curator)
    open_campaign = make_campaign(answered)
    closed = make_campaign(answered, open_now=False, title="Enquête 2025")
    for _index in range(5):
        make_response(closed, {"ia": "non", "outil": "Un tableur"})
    questions = {
        f"survey_question_{kind}": pk
        for kind, pk in questionnaire.sections.values_list("questions__kind", "questions__pk")
    }
    return {
        "questionnaire": questionnaire.pk,
        "survey_section": questionnaire.sections.order_by("order").first().pk,
        "survey_section_last": questionnaire.sections.order_by("order").last().pk,
        **questions,
        "draft_campaign": draft.pk,
        "open_campaign": open_campaign.pk,
        "closed_campaign": closed.pk,
    }


def _exchange_world(users) -> dict:
    """Entraide: two spaces, the member's question with their answer (reported by the admin), a conversation where
    the other member wrote to the member (and a message the team hid), the admin accepting messages (nobody wrote to
    them yet)."""
    member, other, admin = users["member"], users["other"], users["admin"]
    space, other_space = SpaceFactory(name="Participation"), SpaceFactory(name="Évaluation")
    question = QuestionFactory(space=space, author=member)
    answer = AnswerFactory(question=question, author=member)
    report = exchange_moderation.report_create(reporter=admin, reason="Publicité.", answer=answer)
    conversation = conversation_between(member, other, messages=[(other, "Bonjour, une question sur vos ateliers.")])
    message = conversation.messages.get()
    hidden = Message.objects.create(
        conversation=conversation, sender=other, body="Un message masqué.", hidden_at=timezone.now(), hidden_by=admin
    )
    MessagingPreference.objects.update_or_create(user=admin, defaults={"accepts_messages": True})
    return {
        "exchange_space": space.pk,
        "exchange_other_space": other_space.pk,
        "exchange_question": question.pk,
        "exchange_answer": answer.pk,
        "exchange_report": report.pk,
        "exchange_conversation": conversation.uuid,
        "exchange_message": message.pk,
        "exchange_hidden_message": hidden.pk,
        "exchange_recipient": admin.pk,
    }


def _showcase_world(users) -> dict:
    """Vitrine: a published page of a council (not the member's: theirs has no page yet, started on "Ma vitrine"),
    a work the team published on it, a theme."""
    page = CouncilPageFactory()
    work = published_work(page=page, user=users["curator"])
    return {
        "council_page": page.slug,
        "council_page_pk": page.pk,
        "work": work.pk,
        "work_slug": work.slug,
        "theme": ThemeFactory(name="Mobilités douces").pk,
    }


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
    shown_kwargs = _formatted(page.shown_kwargs, world.ids) if page.shown_kwargs else kwargs
    shown = client.get(reverse(page.shown_at or page.url, kwargs=shown_kwargs), query)
    assert shown.status_code == 200, shown
    form = shown.context[page.form_key]
    # A disabled field is not read from the post (Django keeps its initial value): nothing to refuse there.
    names = page.only or [
        name for name, form_field in form.fields.items() if _takes_input(form_field) and not form_field.disabled
    ]
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
            assert "alert-danger" in message, where
            if is_text:  # a choice is refused with its own message
                assert MAX_LENGTH_ERROR.search(message) or "trop long" in message, where
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


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_1_mb_in_a_cell_of_the_training_import_is_refused_quickly(file_format, world, client, settings):
    """The catalogue's import form is a file only (in NOT_POSTED): 1 MB in any cell of a CSV or of an XLSX refuses
    the line, with a French message, quickly, without sending the 1 MB back; nothing is created, nor kept in the
    session for a confirmation. (The XLSX's megabyte is not one letter repeated: that would be refused as a
    decompression bomb before any cell is read.)"""
    settings.PREVIEWS_PER_MINUTE = 1000
    client.force_login(world.users["curator"])
    columns = list(training_transfer.COLUMNS)
    row = {
        "titre": "Conduire une concertation",
        "organisme": "CNFPT – INSET de Dunkerque",
        "type_organisme": ProviderKind.CNFPT.value,
        "format": TrainingFormat.ON_SITE.value,
        "en_bref": "Deux jours pour concevoir une démarche.",
    }
    megabyte = ONE_MB if file_format == "csv" else "".join(random.Random(17).choices("abcdefghij ", k=len(ONE_MB)))
    for column in columns:
        cells = [megabyte if name == column else row.get(name, "") for name in columns]
        if file_format == "csv":
            output = io.StringIO()
            csv.writer(output).writerows([columns, cells])
            upload = SimpleUploadedFile("formations.csv", output.getvalue().encode(), content_type="text/csv")
        else:
            workbook = openpyxl.Workbook()
            workbook.active.append(columns)
            workbook.active.append(cells)
            output = io.BytesIO()
            workbook.save(output)
            upload = SimpleUploadedFile("formations.xlsx", output.getvalue())
        before = database_state()
        started = time.perf_counter()
        response = client.post(reverse("training:import"), {"file": upload})
        seconds = time.perf_counter() - started
        where = f"{file_format}, colonne {column}"
        assert seconds < SECONDS, f"{where} : {seconds:.1f} s"
        assert database_state() == before, f"{where} : la base a changé"
        assert response.status_code == 200, where
        content = response.content.decode()
        assert len(content) < len(ONE_MB), f"{where} : la page renvoie le Mo"
        # The CSV reader refuses a cell past 100,000 characters; the XLSX's lines name the column and its problem.
        assert "alert-danger" in content, where
        assert re.search(rf"dépasse \d+ caractères|Colonne « {column} » : ", content), where
        assert training_catalogue_views.IMPORT_SESSION_KEY not in client.session, where


def test_1_mb_in_the_hidden_code_of_a_mentoring_request_is_a_404(world, client):
    """The request form's hidden `code` is the competence of the address (RequestForm, its page above posts
    `message` only): 1 MB there is refused at once, as a competence nobody can help on."""
    client.force_login(world.users["member"])
    url = reverse("training:request_create", kwargs={"user_id": world.ids["mentor"]})
    before = database_state()
    started = time.perf_counter()
    response = client.post(url, {"code": ONE_MB, "message": "Pourriez-vous m'accompagner ?"})
    assert time.perf_counter() - started < SECONDS
    assert response.status_code == 404
    assert database_state() == before


def _answer_page_data(fields) -> dict:
    """An answering page's inputs as the page shows them (surveys/answer_forms.py draws them, not a Django form)."""
    data = {}
    for answer_field in fields:
        if answer_field.kind == QuestionKind.MULTIPLE:
            data[answer_field.name] = [choice.value for choice in answer_field.choices if choice.checked]
        elif answer_field.kind == QuestionKind.SPLIT:
            data |= {f"{answer_field.name}-{choice.value}": choice.share for choice in answer_field.choices}
        else:
            data[answer_field.name] = answer_field.value
    return data


@pytest.mark.parametrize("action", ["save", "next"])
def test_1_mb_in_each_answer_of_a_survey_is_refused_quickly_and_stores_nothing(action, world, client):
    """The answering pages are drawn without a Django form (surveys/answer_forms.py), so they are not in PAGES:
    1 MB in each input of each page (each share of a split, a ticked box of a multiple choice) gets a French
    message on its question, quickly. Every move saves the page's valid answers in the member's draft: the
    draft may lose the refused question's earlier answer, never gain anything; nothing else changes."""
    member = world.users["member"]
    client.force_login(member)
    campaign = world.ids["open_campaign"]
    # The member has started: the first page saved with a yes (which shows the conditional question under it).
    first = reverse("surveys:answer_section", kwargs={"pk": campaign, "number": 1})
    assert client.post(first, {"q-ia": "oui", "action": "save"}).status_code == 302
    started_draft = database_state()["surveys.Participation"]
    for number in (1, 2):
        url = reverse("surveys:answer_section", kwargs={"pk": campaign, "number": number})
        fields = client.get(url).context["fields"]
        baseline = _answer_page_data(fields)
        assert baseline, number
        for name, value in baseline.items():
            data = {**baseline, name: [ONE_MB] if isinstance(value, list) else ONE_MB, "action": action}
            before = database_state()
            started = time.perf_counter()
            response = client.post(url, data)
            seconds = time.perf_counter() - started
            where = f"partie {number}, champ {name}, {action}"
            assert seconds < SECONDS, f"{where} : {seconds:.1f} s"
            assert response.status_code == 200, f"{where} : {response.status_code}"
            after = database_state()
            before.pop("surveys.Participation")
            drafts_after = after.pop("surveys.Participation")
            assert after == before, f"{where} : la base a changé"
            assert [row["id"] for row in drafts_after] == [row["id"] for row in started_draft], where
            for old, new in zip(started_draft, drafts_after, strict=True):
                assert new["draft"].items() <= old["draft"].items(), f"{where} : le brouillon a reçu {new['draft']}"
                assert {**new, "draft": None} == {**old, "draft": None}, where
            content = response.content.decode()
            question = next(
                shown
                for shown in response.context["fields"]
                if name == shown.name or (shown.kind == QuestionKind.SPLIT and name.startswith(f"{shown.name}-"))
            )
            assert question.error, f"{where} : la réponse n'est pas refusée"
            assert "alert-danger" in content, where
            if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
                assert MAX_LENGTH_ERROR.search(content), f"{where} : pas de message de longueur maximale"
