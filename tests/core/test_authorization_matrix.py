"""Who may open what: every URL pattern of the site, for every kind of visitor, in one table.

`EXPECTED` is keyed by URL name; unnamed patterns by "namespace:route". A pattern added anywhere
(an app's urls.py, allauth, the admin) without a row here fails
`test_every_url_pattern_has_an_expectation`, which names it: decide who may open it, then add its row.

Columns: anonymous visitor, pending account, member (who owns the sample objects), another
member, curator, administrator. Every request is a GET; a POST-only view must answer 405 and
leave the database exactly as it was.

The Django admin's model pages are one group (`ADMIN_MODEL_PAGES`): for every registered model,
its list, add, change, delete and history pages are for staff accounts only. Its other pages have
their own rows.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from competences.enums import FrameworkStatus
from competences.models import FrameworkVersion
from core.enums import PdfExportStatus
from core.mail import queue_email
from core.models import PdfExport, PersonalDataExport
from core.personal_data import personal_data_archive
from dashboard.report import NETWORK_REPORT
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG, Notification, PersonalFiche, Suggestion
from meetings.enums import MeetingAudience, MeetingStatus, OutcomeKind, RegistrationStatus
from meetings.models import CalendarFeed, Material, Outcome, Registration, Workshop
from missions import services as mission_services
from referentiel import services as competence_services
from tests.core.authorization import (
    ADMIN_LOGIN,
    AREA_MODULES,
    FORBIDDEN,
    GONE,
    LOGIN,
    MISSING,
    NOT_ALLOWED,
    OK,
    PENDING,
    ROLES,
    Case,
    accounts,
    administrators,
    curators,
    curators_post_only,
    members,
    members_post_only,
    public,
    redirect_to,
    row,
    staff,
    staff_models,
    staff_only_refused,
)
from tests.fiches.factories import fiche_with_sections
from tests.html import content_bytes, content_text
from tests.meetings.factories import make_meeting
from tests.members.factories import CouncilFactory, InvitationFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox import services as toolbox_services
from toolbox.models import ResourceFile

HOME = "/"
MY_SPACE = "/mon-espace/"
PENDING_PAGE = "/membres/en-attente/"
MY_FICHE = "/fiches/ma-fiche/"
# Planted in the member's own records by `world`: another member must never see it on "my" pages.
MEMBER_SECRET = "texte-prive-du-membre-4242"

# What a logged-in visitor gets on allauth's pages meant for anonymous visitors: their home ("Mon espace"),
# or the waiting page for an account not yet approved.
SENT_AWAY = (OK, PENDING, *[redirect_to(MY_SPACE)] * 4)
OWN_ACCOUNT_REDIRECT = (LOGIN, *[redirect_to("/comptes/password/change/")] * 5)
DRAFT_ONLY_FOR_TEAM = (MISSING, MISSING, MISSING, MISSING, OK, OK)
REAUTHENTICATE = "/comptes/reauthenticate/"
OWN_APP_ONLY = (LOGIN, MISSING, MISSING, MISSING, redirect_to(REAUTHENTICATE), redirect_to(REAUTHENTICATE))

EXPECTED: dict[str, Case | tuple[Case, ...]] = {
    # --- Site pages ---------------------------------------------------------------------------------
    "home": public(),
    # The personal home of approved members (core.home), and what waits for the CNCD team.
    "my_space": members(),
    "team_todo": curators(),
    "legal_notice": public(),
    "privacy": public(),
    "accessibility": public(),
    "health": public(),
    # Django's set_language only acts on POST; a GET sends back to the home page, changing nothing.
    "set_language": row(*[redirect_to(HOME)] * 6),
    "audit_list": (administrators(), administrators(query="export=csv")),
    # The team's journal: its own decisions in the areas it moderates, as sentences.
    "team_journal": (curators(), curators(query="domaine=fiches")),
    # The register of processing (RGPD article 30), drawn from the personal data declarations.
    "processing_register": (curators(), curators(query="export=csv")),
    # Only with BENCHMARK_INSTRUMENTATION (scripts/bench.py): a static page, open like the home page.
    "benchmark_floor": public(),
    # --- allauth (under /comptes/) ----------------------------------------------------------------
    "account_login": Case(SENT_AWAY),
    "account_signup": Case(SENT_AWAY),
    # A GET shows the confirmation form; only its POST logs out.
    "account_logout": row(redirect_to(HOME), OK, OK, OK, OK, OK),
    "account_inactive": public(),
    "account_reauthenticate": accounts(),
    "account_request_reauthentication_code": accounts(),
    # No code was requested: back to the request page.
    "account_confirm_reauthentication_code": row(LOGIN, *[redirect_to("/comptes/reauthenticate/code/")] * 5),
    "account_email": accounts(),
    "account_email_verification_sent": public(),
    "account_change_password": accounts(),
    # Every account has a password: "set" sends to "change".
    "account_set_password": Case(OWN_ACCOUNT_REDIRECT),
    "account_reset_password": public(),
    "account_reset_password_done": public(),
    "account_reset_password_from_key_done": public(),
    # No login code pending: back to the login page, or away for logged-in visitors.
    "account_confirm_login_code": row(redirect_to("/comptes/login/"), PENDING, *[redirect_to(MY_SPACE)] * 4),
    # Unknown keys: a page explaining the link is invalid, never an error or a login.
    "account_confirm_email": public(kwargs={"key": "cle-inconnue"}),
    "account_reset_password_from_key": public(kwargs={"uidb36": "zz", "key": "cle-inconnue"}),
    # --- Two-factor authentication (allauth.mfa, under /comptes/2fa/) ------------------------------
    # The sample curator and administrator have an authenticator app and recovery codes, as the site
    # requires (tests/members/factories.py); the others have none. Changing an account's security
    # asks for the password again first: a forced login has not re-authenticated.
    "mfa_index": accounts(),
    # Only during a login that asks for a second factor: otherwise back to the login page, or away.
    "mfa_authenticate": row(redirect_to("/comptes/login/"), PENDING, *[redirect_to(MY_SPACE)] * 4),
    # Confirming access with a code needs an app; without one, allauth offers the password instead.
    "mfa_reauthenticate": row(LOGIN, *[redirect_to(REAUTHENTICATE)] * 3, OK, OK),
    "mfa_activate_totp": row(LOGIN, *[redirect_to(REAUTHENTICATE)] * 5),
    "mfa_generate_recovery_codes": row(LOGIN, *[redirect_to(REAUTHENTICATE)] * 5),
    # Nothing to deactivate or to show without an app.
    "mfa_deactivate_totp": Case(OWN_APP_ONLY),
    "mfa_view_recovery_codes": Case(OWN_APP_ONLY),
    "mfa_download_recovery_codes": Case(OWN_APP_ONLY),
    # --- Members ------------------------------------------------------------------------------------
    # Pending accounts wait here; approved ones have nothing to wait for.
    "members:pending": row(LOGIN, OK, *[redirect_to(MY_SPACE)] * 4),
    "members:onboarding_dismiss": members_post_only(),
    "members:directory": members(),
    "members:detail": (
        # The member's profile is for members only; another member's is public.
        row(MISSING, MISSING, OK, OK, OK, OK, kwargs={"user_id": "{member}"}),
        public(kwargs={"user_id": "{other}"}),
        row(MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, kwargs={"user_id": "{pending}"}),
    ),
    "members:photo": (
        row(MISSING, MISSING, OK, OK, OK, OK, kwargs={"user_id": "{member}"}),
        public(kwargs={"user_id": "{other}"}),
    ),
    "members:profile_edit": accounts(owner_only_text=MEMBER_SECRET),
    "members:profile_preview": accounts(owner_only_text=MEMBER_SECRET),
    "members:council_create": accounts(),
    "members:my_data": accounts(),
    # The archive of one's data: asked for by POST, then only its owner sees it; for anyone else it does not exist.
    "members:data_export_request": row(LOGIN, *[NOT_ALLOWED] * 5),
    "members:data_export_status": row(
        LOGIN, MISSING, OK, MISSING, MISSING, MISSING, kwargs={"export_id": "{personal_data_export}"}
    ),
    "members:data_export": row(
        LOGIN,
        MISSING,
        OK,
        MISSING,
        MISSING,
        MISSING,
        kwargs={"export_id": "{personal_data_export}"},
        owner_only_text=MEMBER_SECRET,
    ),
    "members:account_delete": accounts(),
    "members:invitation": (
        # A valid invitation leads to the signup page; logged-in visitors have no use for it.
        row(redirect_to("/comptes/signup/"), *[redirect_to(HOME)] * 5, kwargs={"token": "{invitation}"}),
        row(*[GONE] * 6, kwargs={"token": "jeton-inconnu"}),
    ),
    "members:pending_accounts": curators(),
    "members:account_approve": curators_post_only(kwargs={"user_id": "{pending}"}),
    "members:account_refuse": (
        curators(kwargs={"user_id": "{pending}"}),
        # Only pending accounts can be refused.
        row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, MISSING, MISSING, kwargs={"user_id": "{member}"}),
    ),
    "members:invitations": curators(),
    "members:pending_councils": curators(),
    "members:council_validate": curators_post_only(kwargs={"council_id": "{pending_council}"}),
    # --- Référentiel -------------------------------------------------------------------------------
    "referentiel:home": public(),
    "referentiel:changelog": public(),
    "referentiel:search": (public(), public(query="q=mission"), Case(DRAFT_ONLY_FOR_TEAM, query="version={draft}")),
    "referentiel:compare": public(),
    "referentiel:self_assessment": members(owner_only_text=MEMBER_SECRET),
    "referentiel:manage": curators(),
    "referentiel:import": curators(),
    "referentiel:draft_edit": (
        curators(kwargs={"label": "{draft}"}),
        # Published versions are frozen: no curation page for them.
        row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, MISSING, MISSING, kwargs={"label": "{published}"}),
    ),
    "referentiel:draft_publish": curators(kwargs={"label": "{draft}"}),
    "referentiel:draft_delete": (
        curators(kwargs={"label": "{draft}"}),
        row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, MISSING, MISSING, kwargs={"label": "{published}"}),
    ),
    "referentiel:scale_add": curators(kwargs={"label": "{draft}"}),
    "referentiel:scale_edit": curators(kwargs={"label": "{draft}", "value": "1"}),
    "referentiel:scale_remove": curators_post_only(kwargs={"label": "{draft}", "value": "1"}),
    "referentiel:item_add": (
        curators(kwargs={"label": "{draft}", "kind": "missions"}),
        curators(kwargs={"label": "{draft}", "kind": "competences"}),
    ),
    "referentiel:item_edit": (
        curators(kwargs={"label": "{draft}", "kind": "missions", "code": "M1"}),
        curators(kwargs={"label": "{draft}", "kind": "activites", "code": "M1.A1"}),
        curators(kwargs={"label": "{draft}", "kind": "domaines", "code": "D-1"}),
        curators(kwargs={"label": "{draft}", "kind": "competences", "code": "C-1-01"}),
        row(
            LOGIN,
            PENDING,
            FORBIDDEN,
            FORBIDDEN,
            MISSING,
            MISSING,
            kwargs={"label": "{published}", "kind": "missions", "code": "M1"},
        ),
    ),
    "referentiel:item_move": curators_post_only(kwargs={"label": "{draft}", "kind": "missions", "code": "M1"}),
    "referentiel:item_delete": (
        curators(kwargs={"label": "{draft}", "kind": "missions", "code": "M1"}),
        curators(kwargs={"label": "{draft}", "kind": "activites", "code": "M1.A1"}),
    ),
    # Stable public links to released versions; drafts only for the CNCD team.
    "referentiel:version": (public(kwargs={"label": "{published}"}), Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}"})),
    "referentiel:version_competences": (
        public(kwargs={"label": "{published}"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}"}),
    ),
    "referentiel:mission": (
        public(kwargs={"label": "{published}", "code": "M1"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}", "code": "M1"}),
    ),
    "referentiel:activity": (
        public(kwargs={"label": "{published}", "code": "M1.A1"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}", "code": "M1.A1"}),
    ),
    "referentiel:domain": (
        public(kwargs={"label": "{published}", "code": "D-1"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}", "code": "D-1"}),
    ),
    "referentiel:competence": (
        public(kwargs={"label": "{published}", "code": "C-1-01"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}", "code": "C-1-01"}),
    ),
    "referentiel:export": (
        public(kwargs={"label": "{published}", "file_format": "csv"}),
        public(kwargs={"label": "{published}", "file_format": "xlsx"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}", "file_format": "csv"}),
    ),
    "referentiel:version_pdf": (
        public(kwargs={"label": "{published}"}),
        Case(DRAFT_ONLY_FOR_TEAM, {"label": "{draft}"}),
    ),
    # --- Missions ----------------------------------------------------------------------------------
    "missions:declaration": members(),
    # --- Fiche de poste ----------------------------------------------------------------------------
    "fiches:index": row(*[redirect_to("/fiches/{fiche}/")] * 6),
    "fiches:detail": public(kwargs={"slug": "{fiche}"}),
    "fiches:versions": public(kwargs={"slug": "{fiche}"}),
    "fiches:version": public(kwargs={"slug": "{fiche}", "label": "{fiche_version}"}),
    "fiches:version_compare": public(kwargs={"slug": "{fiche}"}),
    "fiches:version_publish": curators(kwargs={"slug": "{fiche}"}),
    "fiches:version_pdf": public(kwargs={"slug": "{fiche}", "label": "{fiche_version}"}),
    "fiches:draft_pdf": members(kwargs={"slug": "{fiche}"}),
    # The working draft and its discussion are for members.
    "fiches:history": members(kwargs={"slug": "{fiche}"}),
    "fiches:feed": members(kwargs={"slug": "{fiche}"}),
    "fiches:section": members(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:section_history": members(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:revision_compare": members(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:section_edit": curators(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:suggestion_create": members(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:suggestion_preview": members_post_only(kwargs={"slug": "{fiche}", "pk": "{section}"}),
    "fiches:suggestion": members(kwargs={"pk": "{suggestion}"}),
    # Only its author rewrites a suggestion.
    "fiches:suggestion_update": row(LOGIN, PENDING, OK, MISSING, MISSING, MISSING, kwargs={"pk": "{suggestion}"}),
    "fiches:suggestion_support": members_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:suggestion_unsupport": members_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:suggestion_withdraw": members_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:suggestion_accept": curators_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:suggestion_reject": curators_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:comment_create": members_post_only(kwargs={"pk": "{suggestion}"}),
    "fiches:comment_report": (
        members(kwargs={"pk": "{comment}"}),
        # A hidden comment's message is for the CNCD team only: for members, it does not exist.
        row(LOGIN, PENDING, MISSING, MISSING, OK, OK, kwargs={"pk": "{hidden_comment}"}),
    ),
    "fiches:comment_hide": curators(kwargs={"pk": "{comment}"}),
    "fiches:comment_dismiss": curators(kwargs={"pk": "{comment}"}),
    "fiches:comment_restore": curators(kwargs={"pk": "{hidden_comment}"}),
    "fiches:moderation": curators(),
    "fiches:revision_restore": curators_post_only(kwargs={"pk": "{revision}"}),
    "fiches:follow": (
        members_post_only(kwargs={"kind": "proposition", "pk": "{suggestion}"}),
        members_post_only(kwargs={"kind": "fiche", "pk": "{fiche_pk}"}),
    ),
    "fiches:notifications": members(),
    # Marking notifications read is a POST only: a GET changes nothing.
    "fiches:notification_open": members_post_only(kwargs={"pk": "{notification}"}),
    "fiches:notifications_read_all": members_post_only(),
    # --- Boîte à outils (toolbox) ------------------------------------------------------------------
    # Drafting is for approved members; "my resources" shows the member's own drafts to them only.
    "toolbox:create": (members(), members(query="nature=methode")),
    "toolbox:mine": members(owner_only_text=MEMBER_SECRET),
    "toolbox:review_queue": curators(),
    # A public resource is for everyone; a members-only one sends visitors to log in (a pending account,
    # not yet a member, finds nothing); a draft exists for its author and the team only.
    "toolbox:detail": (
        public(kwargs={"pk": "{toolbox_public}"}),
        row(LOGIN, MISSING, OK, OK, OK, OK, kwargs={"pk": "{toolbox_members}"}),
        row(MISSING, MISSING, OK, MISSING, OK, OK, kwargs={"pk": "{toolbox_draft}"}),
        row(MISSING, MISSING, MISSING, OK, OK, OK, kwargs={"pk": "{toolbox_submitted}"}),
    ),
    "toolbox:history": (
        public(kwargs={"pk": "{toolbox_public}"}),
        row(LOGIN, MISSING, OK, OK, OK, OK, kwargs={"pk": "{toolbox_members}"}),
        row(MISSING, MISSING, OK, MISSING, OK, OK, kwargs={"pk": "{toolbox_draft}"}),
    ),
    # Its authors and the team edit a resource; another member may read a published one, not edit it.
    "toolbox:edit": (
        row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs={"pk": "{toolbox_members}"}),
        row(LOGIN, PENDING, OK, MISSING, OK, OK, kwargs={"pk": "{toolbox_draft}"}),
    ),
    "toolbox:delete": (
        row(LOGIN, PENDING, OK, MISSING, OK, OK, kwargs={"pk": "{toolbox_draft}"}),
        row(LOGIN, PENDING, FORBIDDEN, MISSING, OK, OK, kwargs={"pk": "{toolbox_members}"}),
    ),
    "toolbox:submit": members_post_only(kwargs={"pk": "{toolbox_draft}"}),
    "toolbox:decide": members_post_only(kwargs={"pk": "{toolbox_submitted}"}),
    "toolbox:useful": members_post_only(kwargs={"pk": "{toolbox_public}"}),
    "toolbox:use": members_post_only(kwargs={"pk": "{toolbox_public}"}),
    "toolbox:comment_add": members_post_only(kwargs={"pk": "{toolbox_public}"}),
    "toolbox:comment_report": members_post_only(kwargs={"pk": "{toolbox_comment}"}),
    "toolbox:comment_moderate": members_post_only(kwargs={"pk": "{toolbox_comment}"}),
    "toolbox:catalogue": (public(), public(query="q=atelier&nature=methode&tri=utile")),
    # Files follow their resource: public for everyone, members-only for members, a draft's for its authors
    # and the team. Only PDFs have a preview image; these sample files have none yet.
    "toolbox:file_upload": members_post_only(kwargs={"pk": "{toolbox_members}"}),
    "toolbox:file_remove": members_post_only(kwargs={"pk": "{toolbox_file_members}"}),
    "toolbox:file_download": (
        public(kwargs={"pk": "{toolbox_file_public}"}),
        row(MISSING, MISSING, OK, OK, OK, OK, kwargs={"pk": "{toolbox_file_members}"}),
        row(MISSING, MISSING, OK, MISSING, OK, OK, kwargs={"pk": "{toolbox_file_draft}"}),
    ),
    "toolbox:file_preview": row(*[MISSING] * 6, kwargs={"pk": "{toolbox_file_public}"}),
    "toolbox:import": curators(),
    "toolbox:export": (public(kwargs={"file_format": "csv"}), public(kwargs={"file_format": "json"})),
    "toolbox:follow": members_post_only(),
    "toolbox:follows": members(),
    # --- Rencontres (meetings) ---------------------------------------------------------------------
    # The sample meeting is announced for members and organised by the member; another member is
    # registered on site. A public meeting is open to all; a draft exists for its organisers and the team.
    "meetings:list": (public(), public(query="periode=passees")),
    "meetings:detail": (
        public(kwargs={"pk": "{meeting_public}"}),
        row(LOGIN, MISSING, OK, OK, OK, OK, kwargs={"pk": "{meeting}"}),
        row(MISSING, MISSING, MISSING, MISSING, OK, OK, kwargs={"pk": "{meeting_draft}"}),
    ),
    "meetings:ics": (
        public(kwargs={"pk": "{meeting_public}"}),
        row(MISSING, MISSING, OK, OK, OK, OK, kwargs={"pk": "{meeting}"}),
    ),
    # The calendar feed's secret address identifies its owner: no login.
    "meetings:feed": public(kwargs={"token": "{feed_token}"}),
    "meetings:calendar": members(),
    "meetings:create": curators(),
    "meetings:register": members(kwargs={"pk": "{meeting}"}),
    # The organisers' pages: the member organises the sample meeting, another member does not.
    **{
        name: row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs={"pk": "{meeting}"})
        for name in (
            "meetings:edit",
            "meetings:meeting_cancel",
            "meetings:organisers",
            "meetings:minutes",
            "meetings:materials",
            "meetings:outcomes",
            "meetings:workshop_create",
            "meetings:registrations",
            "meetings:attendance_sheet",
        )
    },
    **{
        name: row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs={"pk": "{workshop}"})
        for name in ("meetings:workshop_edit", "meetings:workshop_assign", "meetings:workshop_notes")
    },
    "meetings:material_download": row(LOGIN, MISSING, OK, OK, OK, OK, kwargs={"pk": "{material}"}),
    "meetings:publish": curators_post_only(kwargs={"pk": "{meeting_draft}"}),
    "meetings:outcome_handled": curators_post_only(kwargs={"pk": "{outcome}"}),
    "meetings:organiser_remove": members_post_only(kwargs={"pk": "{meeting}", "user_id": "{member}"}),
    "meetings:material_remove": members_post_only(kwargs={"pk": "{material}"}),
    "meetings:workshop_delete": members_post_only(kwargs={"pk": "{workshop}"}),
    "meetings:workshop_join": members_post_only(kwargs={"pk": "{workshop}"}),
    "meetings:workshop_leave": members_post_only(kwargs={"pk": "{workshop}"}),
    "meetings:cancel": members_post_only(kwargs={"pk": "{registration}"}),
    "meetings:check_in": members_post_only(kwargs={"pk": "{registration}"}),
    "meetings:follow": members_post_only(kwargs={"pk": "{meeting}"}),
    # Ma fiche de poste: private to its owner; the others see their own (or the form to create it).
    "fiches:my_fiche": members(owner_only_text=MEMBER_SECRET),
    "fiches:my_fiche_edit": row(LOGIN, PENDING, OK, *[redirect_to(MY_FICHE)] * 3),
    "fiches:my_section_edit": row(LOGIN, PENDING, OK, MISSING, MISSING, MISSING, kwargs={"pk": "{personal_section}"}),
    # Nobody can ask for someone else's: there is no id in the URL, and no fiche of one's own is a 404.
    "fiches:my_fiche_pdf": row(LOGIN, PENDING, OK, MISSING, MISSING, MISSING),
    "fiches:my_section_integrate": members_post_only(kwargs={"pk": "{personal_section}"}),
    # --- Key figures -------------------------------------------------------------------------------
    "dashboard:key_figures": public(),
    # The network's figures members may read (post facts every member may see): approved accounts only.
    "dashboard:members_figures": members(),
    "dashboard:network": curators(),
    "dashboard:network_csv": curators(),
    "dashboard:network_report": curators_post_only(),
    "dashboard:network_report_status": row(
        LOGIN, PENDING, FORBIDDEN, FORBIDDEN, OK, MISSING, kwargs={"export_id": "{pdf_export}"}
    ),
    # Not ready yet: back to its status page. Someone else's export does not exist for them.
    "dashboard:network_report_download": row(
        LOGIN,
        PENDING,
        FORBIDDEN,
        FORBIDDEN,
        redirect_to("/chiffres/reseau/rapport/{pdf_export}/"),
        MISSING,
        kwargs={"export_id": "{pdf_export}"},
    ),
    "dashboard:network_xlsx": curators(),
    # --- Django admin (its model pages: see ADMIN_MODEL_PAGES) ------------------------------------
    "admin:index": staff(),
    # The admin's own login form is gone (it checked the password alone): the site's login, with `next`;
    # a logged-in account that is not staff is refused, a staff one goes on to the admin.
    "admin:login": row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, redirect_to("/admin/")),
    # Django's admin logs out on POST only; non-staff visitors are sent to the admin's index.
    "admin:logout": row(ADMIN_LOGIN, PENDING, *[redirect_to("/admin/")] * 3, NOT_ALLOWED),
    "admin:password_change": staff(),
    "admin:password_change_done": staff(),
    "admin:jsi18n": staff(),
    # Without its parameters the autocomplete endpoint refuses even staff.
    "admin:autocomplete": row(ADMIN_LOGIN, PENDING, *[ADMIN_LOGIN] * 3, FORBIDDEN),
    "admin:view_on_site": row(
        ADMIN_LOGIN,
        PENDING,
        *[ADMIN_LOGIN] * 3,
        redirect_to("http://testserver/fiches/propositions/{suggestion}/"),
        kwargs={"content_type_id": "{suggestion_type}", "object_id": "{suggestion}"},
    ),
    "admin:app_list": staff(kwargs={"app_label": "fiches"}),
    "admin:auth_user_password_change": staff_models(kwargs={"id": "{member}"}),
    # Unknown admin URLs: the login page, so that nobody learns which models exist; 404 for staff.
    "admin:(?P<url>.*)$": row(ADMIN_LOGIN, PENDING, *[ADMIN_LOGIN] * 3, MISSING, kwargs={"url": "nexiste-pas/"}),
    # The audit log is read-only, even in the admin.
    "admin:core_auditentry_add": staff_only_refused(),
    # Task results are written by the queue and the worker only (django-tasks-db's admin is read-only).
    "admin:django_tasks_database_dbtaskresult_add": staff_only_refused(),
    "admin:django_tasks_database_dbtaskresult_delete": staff_only_refused(
        kwargs={"object_id": "{admin_django_tasks_database_dbtaskresult}"}
    ),
    # Référentiel versions are created and deleted by curation (with its audit), not in the admin;
    # revisions are the fiche's history and cannot be deleted.
    "admin:competences_frameworkversion_add": staff_only_refused(),
    "admin:competences_frameworkversion_delete": staff_only_refused(
        kwargs={"object_id": "{admin_competences_frameworkversion}"}
    ),
    "admin:fiches_revision_delete": staff_only_refused(kwargs={"object_id": "{admin_fiches_revision}"}),
    "admin:core_auditentry_delete": staff_only_refused(kwargs={"object_id": "{admin_core_auditentry}"}),
}

# The rows of the areas kept beside their app's tests (tests/core/authorization.py).
for _module in AREA_MODULES:
    _cases = import_module(_module).CASES
    assert not set(_cases) & set(EXPECTED), f"{_module} repeats rows of EXPECTED"
    EXPECTED.update(_cases)

# Routes that exist only with some settings.
OPTIONAL_ROUTES = {"benchmark_floor"}

# The Django admin's model pages, one group: <app>_<model>_<page> for every registered model.
ADMIN_MODEL_PAGES = ("changelist", "add", "change", "delete", "history")


def _admin_model_case(name: str) -> Case | None:
    """The group expectation for a Django admin model page, or None when `name` is not one."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        page = name.removeprefix(prefix)
        if name.startswith(prefix) and page in ADMIN_MODEL_PAGES:
            if page in {"changelist", "add"}:
                return staff_models()
            return staff_models(kwargs={"object_id": f"{{admin_{model._meta.app_label}_{model._meta.model_name}}}"})
    return None


def _admin_model_redirect_case(key: str) -> Case | None:
    """admin/<app>/<model>/<id>/ redirects staff to the change page (older links)."""
    match = re.fullmatch(r"admin:(\w+)/(\w+)/<path:object_id>/", key)
    if not match:
        return None
    object_id = f"{{admin_{match[1]}_{match[2]}}}"
    change = f"/admin/{match[1]}/{match[2]}/{object_id}/change/"
    return row(LOGIN, PENDING, *[ADMIN_LOGIN] * 3, redirect_to(change), kwargs={"object_id": object_id})


# --- Enumerating the URL patterns ---------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # URL name with its namespaces, or "namespace:route" when unnamed
    name: str | None  # for reverse()
    route: str


def url_patterns(resolver=None, namespace="", prefix="") -> list[Pattern]:
    """Every URL pattern the site answers to, depth first, including included ones."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += url_patterns(entry, inner, route)
        elif isinstance(entry, URLPattern):
            full_name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            key = full_name or f"{namespace}:{route.removeprefix('admin/')}"
            found.append(Pattern(key=key, name=full_name, route=route))
    return found


def expectation(key: str) -> tuple[Case, ...] | None:
    case = EXPECTED.get(key) or _admin_model_case(key) or _admin_model_redirect_case(key)
    if case is None:
        return None
    return case if isinstance(case, tuple) else (case,)


def test_every_url_pattern_has_an_expectation():
    patterns = url_patterns()
    missing = [f"{p.key}  ({p.route})" for p in patterns if expectation(p.key) is None]
    assert not missing, (
        "Ces routes n'ont pas de ligne dans EXPECTED (tests/core/test_authorization_matrix.py) : "
        "décidez qui peut les ouvrir et ajoutez-les.\n  " + "\n  ".join(missing)
    )
    known = {p.key for p in patterns}
    stale = sorted(set(EXPECTED) - known - OPTIONAL_ROUTES)
    assert not stale, f"Lignes d'EXPECTED sans route correspondante : {stale}"
    # Nothing escapes: the allauth and admin routes are enumerated like the site's own.
    assert {"account_login", "admin:index", "admin:members_user_change", "fiches:suggestion"} <= known


# --- The sample objects -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Sample objects for every URL's arguments, built once for the module, rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


PHOTOS = ("photos/membre.webp", "photos/autre.webp")
TOOLBOX_PDF = b"%PDF-1.4\n% un document de la boite a outils\n%%EOF\n"
MEETING_FILE = "rencontres/programme"
ARCHIVE_FILE = "personal-data-exports/archive-du-membre.zip"


@pytest.fixture(autouse=True)
def _photo_files(settings):
    # Each test gets its own MEDIA_ROOT (tests/conftest.py): put the sample photos there.
    for name in PHOTOS:
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"RIFF-photo-de-test")


def _build_world() -> dict:
    users = {
        "member": UserFactory(),
        "other": UserFactory(),
        "pending": UserFactory(pending=True),
        "curator": UserFactory(curator=True),
        "admin": UserFactory(admin=True),
    }
    member, other, curator = users["member"], users["other"], users["curator"]
    ProfileFactory(user=member, bio=MEMBER_SECRET, training_wishes=MEMBER_SECRET, photo=PHOTOS[0])
    ProfileFactory(user=other, public=True, photo=PHOTOS[1])
    ProfileFactory(user=users["pending"])
    pending_council = CouncilFactory(is_validated=False)
    invitation = InvitationFactory()

    published = build_version(small_data("v1.0"))
    draft = build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    assert FrameworkVersion.objects.current() == published
    competence_services.self_assessment_save(
        user=member, version=published, ratings={"C-1-01": (2, False, MEMBER_SECRET)}
    )
    mission_services.declarations_save(user=member, shares={"M1": 40})

    fiche = fiche_with_sections(2, slug=COMMON_FICHE_SLUG)
    section = fiche.sections.order_by("order").first()
    fiche_services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première", actor=curator)
    section.refresh_from_db()
    suggestion = fiche_services.suggestion_create(
        section_id=section.pk, author=member, body=section.current_body + " Et plus.", rationale="Plus précis."
    )
    comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=member, body="Mon avis.")
    fiche_services.comment_report(comment_id=comment.pk, reporter=other, reason="Hors sujet.")
    hidden_comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=other, body="Propos masqué.")
    fiche_services.comment_hide(comment_id=hidden_comment.pk, actor=curator, reason="Hors charte.")
    notification = Notification.objects.create(recipient=member, message="Une notification.", url="/fiches/")
    fiche_services.follow_set(user=member, target=fiche, following=True)
    personal = fiche_services.personal_fiche_create(
        owner=member, fiche=fiche, job_title="Chargée de mission", local_context=MEMBER_SECRET
    )
    Group.objects.create(name="Équipe")
    toolbox_public = make_resource(member, published_by=curator, public=True, title="Méthode publique")
    toolbox_members = make_resource(member, published_by=curator, title="Méthode des membres")
    toolbox_submitted = make_resource(other, title="Méthode soumise")
    toolbox_services.resource_submit(resource_id=toolbox_submitted.pk, user=other)
    toolbox_draft = make_resource(member, title=f"Brouillon {MEMBER_SECRET}")
    toolbox_comment = toolbox_services.comment_add(resource_id=toolbox_public.pk, author=other, body="Bien vu.")
    meeting = make_meeting(member, title="Rencontre des membres")
    meeting_public = make_meeting(curator, title="Rencontre publique", audience=MeetingAudience.PUBLIC)
    meeting_draft = make_meeting(curator, title="Rencontre en préparation", status=MeetingStatus.DRAFT)
    registration = Registration.objects.create(
        meeting=meeting, user=other, mode="sur-place", status=RegistrationStatus.CONFIRMED
    )
    workshop = Workshop.objects.create(meeting=meeting, title="Table 1", topic="Les missions")
    material = Material.objects.create(
        meeting=meeting,
        title="Programme",
        file=MEETING_FILE,
        file_name="programme.pdf",
        content_type="application/pdf",
        size=len(TOOLBOX_PDF),
        added_by=member,
    )
    outcome = Outcome.objects.create(
        meeting=meeting, kind=OutcomeKind.REFERENTIEL_NOTE, title="Une note", body="À étudier.", created_by=member
    )
    feed = CalendarFeed.objects.create(user=member)
    toolbox_files = {
        name: ResourceFile.objects.create(
            resource=resource,
            file=f"boite-a-outils/fichier-{name}",
            name=f"{name}.pdf",
            content_type="application/pdf",
            size=len(TOOLBOX_PDF),
        )
        for name, resource in (("public", toolbox_public), ("members", toolbox_members), ("draft", toolbox_draft))
    }
    pdf_export = PdfExport.objects.create(requested_by=curator, kind=NETWORK_REPORT, language="fr")
    # The member's archive, ready: its file is put in each test's storage (test_who_may_open_each_url).
    personal_data_export = PersonalDataExport.objects.create(
        user=member, status=PdfExportStatus.DONE, file_name=ARCHIVE_FILE
    )
    files = {ARCHIVE_FILE: personal_data_archive(member)}
    files |= {attached.file.name: TOOLBOX_PDF for attached in toolbox_files.values()}
    files[MEETING_FILE] = TOOLBOX_PDF
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        queue_email(subject="Essai", body="Un e-mail en file.", to=[member.email])

    ids = {
        "pdf_export": pdf_export.pk,
        "personal_data_export": personal_data_export.pk,
        "member": member.pk,
        "other": other.pk,
        "pending": users["pending"].pk,
        "pending_council": pending_council.pk,
        "invitation": invitation.token,
        "published": published.label,
        "draft": draft.label,
        "fiche": fiche.slug,
        "section": section.pk,
        "revision": section.current_revision_id,
        "suggestion": suggestion.pk,
        "comment": comment.pk,
        "hidden_comment": hidden_comment.pk,
        "notification": notification.pk,
        "personal_section": personal.sections.order_by("order").first().pk,
        "fiche_version": "v1.0",
        "fiche_pk": fiche.pk,
        "suggestion_type": ContentType.objects.get_for_model(Suggestion).pk,
        "toolbox_public": toolbox_public.pk,
        "toolbox_members": toolbox_members.pk,
        "toolbox_submitted": toolbox_submitted.pk,
        "toolbox_draft": toolbox_draft.pk,
        "toolbox_comment": toolbox_comment.pk,
        **{f"toolbox_file_{name}": attached.pk for name, attached in toolbox_files.items()},
        "meeting": meeting.pk,
        "meeting_public": meeting_public.pk,
        "meeting_draft": meeting_draft.pk,
        "registration": registration.pk,
        "workshop": workshop.pk,
        "material": material.pk,
        "outcome": outcome.pk,
        "feed_token": feed.token,
    }
    for module in AREA_MODULES:
        area_ids = import_module(module).samples(users)
        assert not set(area_ids) & set(ids), f"{module} repeats sample names"
        ids.update(area_ids)
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"Aucun objet {model._meta.label} pour tester ses pages d'administration"
        ids[f"admin_{model._meta.app_label}_{model._meta.model_name}"] = first.pk
    assert PersonalFiche.objects.filter(owner=member).exists()
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {"ids": ids, "clients": clients, "users": users, "files": files}


# --- Checking -----------------------------------------------------------------------------------


def outcome_of(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/comptes/login/?next="):
            return LOGIN
        if location == PENDING_PAGE:
            return PENDING
        if location.startswith("/admin/login/?next="):
            return ADMIN_LOGIN
        return redirect_to(location.split("?")[0])
    return str(response.status_code)


def _text(response) -> str:
    """The response as text; a zip archive (the data export) is read file by file."""
    content = content_bytes(response)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist()).decode("utf-8", errors="replace")
    return content_text(response)


def snapshot() -> dict:
    """Every row of the project's own tables (and allauth's), to prove a request changed nothing."""
    state = {}
    for config in (
        "core",
        "members",
        "competences",
        "missions",
        "fiches",
        "toolbox",
        "meetings",
        "training",
        "surveys",
        "account",
        "auth",
    ):
        for model in apps.get_app_config(config).get_models():
            rows = model._default_manager.order_by("pk").values()
            # Logging in a test client touches last_login; that is not the request under test.
            state[model._meta.label] = [{k: v for k, v in r.items() if k != "last_login"} for r in rows]
    return state


def _patterns_by_key() -> dict[str, Pattern]:
    return {p.key: p for p in url_patterns()}


def _url(pattern: Pattern, case: Case, ids: dict) -> str:
    kwargs = {name: value.format_map(ids) for name, value in case.kwargs.items()}
    if pattern.name:
        url = reverse(pattern.name, kwargs=kwargs)
    else:
        # Unnamed patterns: fill path converters (<int:pk>) and regex groups ((?P<url>.*)) by hand.
        route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), pattern.route)
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m[1]]), route)
        url = "/" + route.replace("^", "").replace("$", "")
    return url + (f"?{case.query.format_map(ids)}" if case.query else "")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(p.key for p in url_patterns()))
def test_who_may_open_each_url(world, key, settings):
    for name, content in world["files"].items():
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(content)
    cases = expectation(key)
    assert cases is not None, f"{key} n'a pas de ligne dans EXPECTED"
    pattern = _patterns_by_key()[key]
    for case in cases:
        url = _url(pattern, case, world["ids"])
        post_only = NOT_ALLOWED in case.outcomes
        before = snapshot() if post_only else None
        actual = {}
        for role in ROLES:
            response = world["clients"][role].get(url)
            actual[role] = outcome_of(response)
            if response.streaming:
                # A file streamed from storage: the test client closes it (and the response) once read to the end.
                content_bytes(response)
            if case.owner_only_text and response.status_code == 200:
                shown = case.owner_only_text in _text(response)
                assert shown == (role == "member"), f"{url} as {role}: owner-only text {'shown' if shown else 'hidden'}"
        expected = {role: outcome.format_map(world["ids"]) for role, outcome in zip(ROLES, case.outcomes, strict=True)}
        assert actual == expected, f"{url}\n expected {expected}\n actual   {actual}"
        if post_only:
            assert snapshot() == before, f"GET {url} changed the database"
