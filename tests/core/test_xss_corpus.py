"""The XSS corpus (tests/xss_payloads.py) typed into every free-text field of the site, through its forms.

Each test submits the payloads as a user would (GET the form, POST it back with hostile text), then
reads every page that shows what was stored, and each form that echoes what was typed. On each page,
nothing may come from user text that could run script, load from another host or drive htmx:
`response_problems` compares the page with the same page before any hostile text was stored, so
that the site's own htmx attributes and charts are not counted.
"""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence, Domain, FrameworkVersion
from fiches.forms import (
    PersonalFicheForm,
    PersonalSectionForm,
    PublishForm,
    ReasonForm,
    SectionEditForm,
    SuggestionForm,
)
from fiches.models import COMMON_FICHE_SLUG, Comment, PersonalFiche, Section, Suggestion
from members.enums import TerritoryKind, Visibility
from members.forms import CouncilForm, ProfileForm
from members.models import Council, User
from missions.models import Activity, Mission
from referentiel.forms import ActivityForm, CompetenceForm, DomainForm, DraftCreateForm, MissionForm
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.two_tabs import form_data
from tests.xss_payloads import PAYLOADS, problems, response_problems

pytestmark = pytest.mark.django_db

VISIBILITY_FIELDS = ("identity_visibility", "post_visibility", "about_visibility", "contact_visibility")
PUBLIC_EVERYTHING = dict.fromkeys(VISIBILITY_FIELDS, Visibility.PUBLIC)


# --- Helpers ------------------------------------------------------------------------------------


def fit(form, name: str, text: str) -> str:
    """`text` cut to what the field accepts, so that it is stored (and cut payloads stay hostile)."""
    limit = getattr(form.fields[name], "max_length", None)
    return text[:limit] if limit else text


def assert_harmless(response, *, baseline=(), where=""):
    found = response_problems(response, baseline=baseline)
    assert found == [], f"{where or response.wsgi_request.get_full_path()} : {found}"


class Pages:
    """Pages to read as one client: their problems before hostile text, then a check after.

    `urls` may map each page to the page that stands for it before (a released version's page for a
    version not yet published).
    """

    def __init__(self, client, urls, *, plain=()):
        self.client = client
        self.urls = urls if isinstance(urls, dict) else {url: url for url in urls}
        self.baselines = {}
        for url, before in self.urls.items():
            response = client.get(before)
            assert response.status_code == 200, (before, response.status_code)
            self.baselines[url] = response_problems(response)
        # Pages without htmx or charts of their own: nothing to subtract, no need to read them before.
        for url in plain:
            self.urls[url] = url
            self.baselines[url] = []

    def check(self, *, must_show: str = "") -> str:
        """Read every page again; return their concatenated HTML for assertions on escaped text."""
        pages = []
        for url in self.urls:
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert_harmless(response, baseline=self.baselines[url], where=url)
            pages.append(response.content.decode())
        html = "\n".join(pages)
        if must_show:
            assert must_show in html, f"{must_show!r} n'apparaît sur aucune des pages (échappé)"
        return html


def post_form(client, url, changes: dict, *, form_key="form", files=None, expect_redirect=True, form=None):
    """GET the form at `url` (unless given), POST it back with `changes`; a re-displayed form must be harmless."""
    if form is None:
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        form = page.context[form_key]
    data = form_data(form) | {
        name: fit(form, name, value) if isinstance(value, str) else value for name, value in changes.items()
    }
    response = client.post(url, data | (files or {}))
    if response.status_code == 200:
        assert_harmless(response, where=f"POST {url}")
    if expect_redirect:
        errors = response.context[form_key].errors if response.status_code == 200 else None
        assert response.status_code == 302, (url, errors)
    return response


def login(client, user):
    client.force_login(user)
    return client


# Payloads that are inert as raw HTML: Markdown (fiche sections render it: tests/fiches), template
# syntax and encoded text (harmful only if evaluated or decoded twice; the pages must show them as typed).
INERT_AS_HTML = ("[", "![", "{{", "{%", "${", "&lt;", "%3C", "\\u003c", "&#60;", "<scr<script>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_checker_would_catch_each_payload_if_it_were_rendered_raw(payload):
    """Else a page could pass only because the checker is blind to what the payload does."""
    raw = problems(f"<body><div>{payload}</div></body>") or problems(f'<body><a href="{payload}">x</a></body>')
    assert raw or payload.startswith(INERT_AS_HTML), payload


# --- Members ------------------------------------------------------------------------------------

PROFILE_TEXT_FIELDS = (
    "display_name",
    "pronouns",
    "job_title",
    "employer",
    "grade",
    "bio",
    "help_topics",
    "training_wishes",
)


def test_profile_fields(client):
    """Display name, pronouns, job title, employer, grade, bio, topics, training wishes."""
    council = CouncilFactory()
    people = [ProfileFactory(user=UserFactory(), council=council, **PUBLIC_EVERYTHING).user for _ in PAYLOADS]
    reader, curator = UserFactory(), UserFactory(curator=True)
    profile_urls = [reverse("members:detail", args=[user.pk]) for user in people]
    directory = [reverse("members:directory") + f"?page={n}" for n in range(1, len(PAYLOADS) // 20 + 2)]
    anonymous = Pages(client, profile_urls)
    member_pages = Pages(login(client.__class__(), reader), directory + profile_urls[:5])
    team_pages = Pages(login(client.__class__(), curator), [*profile_urls[:5], reverse("dashboard:network")])

    for number, (user, payload) in enumerate(zip(people, PAYLOADS, strict=True)):
        own = login(client.__class__(), user)
        url = reverse("members:profile_edit")
        # The form as the page would build it (reading the page once per user would only repeat it).
        form = ProfileForm(instance=user.profile, user=user)
        # Too long for the short fields: the form comes back with the text as typed, harmless.
        response = own.post(url, form_data(form) | dict.fromkeys(PROFILE_TEXT_FIELDS, payload * 8))
        assert response.status_code == 200
        assert_harmless(response, where="profil trop long")
        response = own.post(url, form_data(form) | {name: fit(form, name, payload) for name in PROFILE_TEXT_FIELDS})
        assert response.status_code == 302, response.context["form"].errors
        assert_harmless(own.get(url))
        if number % 3 == 0:
            assert_harmless(own.get(reverse("members:profile_preview") + "?comme=equipe"))

    client.logout()
    anonymous.check(must_show="&lt;script&gt;alert(1)&lt;/script&gt;")
    member_pages.check()
    team_pages.check()


def test_pending_accounts_and_refusal_reason(client):
    """The team reads pending accounts' profiles; the refusal reason ends in the audit log."""
    curator, admin = UserFactory(curator=True), UserFactory(admin=True)
    pending = [ProfileFactory(user=UserFactory(pending=True), display_name="En attente").user for _ in PAYLOADS]
    team = login(client.__class__(), curator)
    team_pages = Pages(team, [reverse("members:pending_accounts")])
    audit = Pages(login(client.__class__(), admin), [reverse("audit_list")])
    for user, payload in zip(pending, PAYLOADS, strict=True):
        post_form(
            login(client.__class__(), user),
            reverse("members:profile_edit"),
            dict.fromkeys(PROFILE_TEXT_FIELDS, payload),
        )
    team_pages.check()
    for user, payload in zip(pending, PAYLOADS, strict=True):
        refuse = reverse("members:account_refuse", args=[user.pk])
        assert_harmless(team.get(refuse))
        post_form(team, refuse, {"reason": payload})
    assert User.objects.filter(pk__in=[u.pk for u in pending], status="refused").count() == len(PAYLOADS)
    audit.check()


def test_council_declaration(client):
    """Name, authority and website of a declared council: on the team's list and the member's pages."""
    curator = UserFactory(curator=True)
    team_pages = Pages(login(client.__class__(), curator), [reverse("members:pending_councils")])
    for number, payload in enumerate(PAYLOADS):
        member = ProfileFactory(user=UserFactory(), **PUBLIC_EVERYTHING).user
        own = login(client.__class__(), member)
        url = reverse("members:council_create")
        # A hostile website is refused (URL field); the form echoes it harmlessly.
        post_form(
            own,
            url,
            form=CouncilForm(),
            changes={
                "name": payload,
                "authority_name": payload,
                "website": payload,
                "departments": ["35"],
                "kind": TerritoryKind.AGGLOMERATION,
            },
            expect_redirect=False,
        )
        # Then with a real address, stored (unless too close to an earlier name: that form is checked too).
        post_form(
            own,
            url,
            form=CouncilForm(),
            changes={
                "name": f"Conseil{number:02d}{'xyzw'[number % 4] * (number % 7 + 1)} {payload}",
                "authority_name": payload,
                "website": "https://evil.example/conseil",
                "departments": ["35"],
                "kind": TerritoryKind.AGGLOMERATION,
            },
            expect_redirect=False,
        )
        assert_harmless(own.get(reverse("members:detail", args=[member.pk])))
        if number % 4 == 0:  # the council in the profile form's list
            assert_harmless(own.get(reverse("members:profile_edit")))
    assert Council.objects.filter(is_validated=False).count() >= len(PAYLOADS) // 2
    team_pages.check()


def test_invitation_list(client):
    """Addresses typed or uploaded: the report lists the rejected lines as typed."""
    team = login(client, UserFactory(curator=True))
    url = reverse("members:invitations")
    baseline = response_problems(team.get(url))
    response = team.post(url, {"emails": "\n".join(PAYLOADS)})
    assert response.status_code == 200
    assert_harmless(response, baseline=baseline)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    upload = SimpleUploadedFile("invitations.csv", _csv_lines(PAYLOADS), content_type="text/csv")
    response = team.post(url, {"csv_file": upload})
    assert_harmless(response, baseline=baseline)
    assert_harmless(team.get(url), baseline=baseline)


def _csv_lines(values) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for value in values:
        writer.writerow([value])
    return buffer.getvalue().encode()


# --- Référentiel ---------------------------------------------------------------------------------

COUNT = len(PAYLOADS)


def _item_urls(label, missions, activities, competences) -> list[str]:
    urls = [reverse("referentiel:mission", args=[label, code]) for code in missions]
    urls += [reverse("referentiel:activity", args=[label, code]) for code in activities]
    urls += [reverse("referentiel:competence", args=[label, code]) for code in competences]
    urls += [
        reverse("referentiel:domain", args=[label, code.replace("C-", "D-").removesuffix("-01")])
        for code in competences
    ]
    return urls


def _version_urls(label) -> list[str]:
    return [
        reverse("referentiel:version", args=[label]),
        reverse("referentiel:version_competences", args=[label]),
        reverse("referentiel:search") + f"?version={label}&q=alert",
        reverse("referentiel:search") + f"?version={label}&q=script",
    ]


def test_referentiel_curation_import_self_assessment_and_declaration(client):
    """Titles, descriptions, purposes, level descriptors, scale, publication summary, import cells,
    self-assessment evidence, mission declaration; then every page that shows them."""
    build_version(small_data("v1.0", missions=COUNT, activities=1, domains=COUNT, competences=1))
    curator, member, admin = UserFactory(curator=True), UserFactory(), UserFactory(admin=True)
    team = login(client.__class__(), curator)
    # A new draft's label is checked: hostile ones come back in the form, harmless.
    manage = reverse("referentiel:manage")
    for payload in PAYLOADS:
        response = post_form(team, manage, {"label": payload}, form=DraftCreateForm(), expect_redirect=False)
        assert response.status_code == 200, payload
    post_form(team, manage, {"label": "v2.0"})
    draft = FrameworkVersion.objects.get(label="v2.0", status=FrameworkStatus.DRAFT)
    missions = list(Mission.objects.of(draft).order_by("order").values_list("code", flat=True))
    activities = list(Activity.objects.of(draft).order_by("mission__order").values_list("code", flat=True))
    competences = list(Competence.objects.of(draft).order_by("domain__order").values_list("code", flat=True))
    domains = [code.replace("C-", "D-").removesuffix("-01") for code in competences]
    items = _item_urls("v2.0", missions, activities, competences)
    team_pages = Pages(
        team,
        [
            reverse("referentiel:draft_edit", args=["v2.0"]),
            reverse("referentiel:draft_publish", args=["v2.0"]),
            reverse("referentiel:compare") + "?de=v1.0&a=v2.0",
            reverse("referentiel:manage"),
            *_version_urls("v2.0"),
            # Item pages carry the htmx of the panels other apps add (the toolbox's follow button): read before too.
            *items,
        ],
    )
    # Anonymous visitors: the lists, and one item page in five (same template as the team's).
    published_later = {url: url.replace("v2.0", "v1.0") for url in [*_version_urls("v2.0"), *items[::5]]}
    anonymous = Pages(
        client,
        published_later
        | {
            reverse("referentiel:home"): reverse("referentiel:home"),
            reverse("referentiel:changelog"): reverse("referentiel:changelog"),
            reverse("referentiel:compare"): reverse("referentiel:compare"),
        },
    )
    own = login(client.__class__(), member)
    member_pages = Pages(own, [reverse("referentiel:self_assessment"), reverse("missions:declaration")])
    dashboard = Pages(team, [reverse("dashboard:network")])
    audit = Pages(login(client.__class__(), admin), [reverse("audit_list")])

    # The forms are read in full for the first items only: the others would render the same way.
    def edit(kind, code, changes, form_class, model, number):
        url = reverse("referentiel:item_edit", args=["v2.0", kind, code])
        form = None if number < 3 else form_class(instance=model.objects.of(draft).get(code=code), version=draft)
        post_form(team, url, changes, form=form)

    for number, (payload, mission, activity, domain, competence) in enumerate(
        zip(PAYLOADS, missions, activities, domains, competences, strict=True)
    ):
        text = {"title": payload, "description": payload}
        edit("missions", mission, {"title": payload, "purpose": payload}, MissionForm, Mission, number)
        edit("activites", activity, text, ActivityForm, Activity, number)
        edit("domaines", domain, text, DomainForm, Domain, number)
        levels = {f"level_{n}": payload for n in range(1, 5)}
        edit("competences", competence, text | levels, CompetenceForm, Competence, number)
    # The scale has four levels: they take the payloads four at a time.
    draft_page = reverse("referentiel:draft_edit", args=["v2.0"])
    for start in range(0, COUNT, 4):
        for value, payload in enumerate(PAYLOADS[start : start + 4], start=1):
            post_form(
                team, reverse("referentiel:scale_edit", args=["v2.0", value]), {"label": payload, "descriptor": payload}
            )
        assert_harmless(team.get(draft_page), baseline=team_pages.baselines[draft_page])
    team_pages.check(must_show="&lt;script&gt;alert(1)&lt;/script&gt;")

    summary = "\n".join(PAYLOADS)
    post_form(team, reverse("referentiel:draft_publish", args=["v2.0"]), {"summary": summary, "confirm": True})
    assert FrameworkVersion.objects.current().label == "v2.0"
    client.logout()
    anonymous.check()

    # Self-assessment: a rating and an evidence note per competence, each note a payload.
    page = own.get(reverse("referentiel:self_assessment"))
    form = page.context["form"]
    ratings = {f"level-{code}": "1" for code in competences}
    evidence = {
        f"evidence-{code}": fit(form, f"evidence-{code}", payload)
        for code, payload in zip(competences, PAYLOADS, strict=True)
    }
    response = own.post(reverse("referentiel:self_assessment"), form_data(form) | ratings | evidence)
    assert response.status_code == 302
    # Mission declaration: only numbers, but what is typed is echoed in the errors.
    page = own.get(reverse("missions:declaration"))
    shares = {f"share-{code}": payload for code, payload in zip(missions, PAYLOADS, strict=True)}
    carried = {f"carried-{code}": "on" for code in missions}
    response = own.post(reverse("missions:declaration"), form_data(page.context["form"]) | carried | shares)
    assert response.status_code == 200
    assert_harmless(response)
    member_pages.check()
    assert_harmless(own.get(reverse("members:my_data")))
    dashboard.check()
    audit.check()

    # Import: each export of the hostile version, read back; the preview shows every text cell.
    import_url = reverse("referentiel:import")
    baseline = response_problems(team.get(import_url))
    for file_format in ("csv", "xlsx", "case", "moodle"):
        exported = team.get(reverse("referentiel:export", args=["v2.0", file_format]))
        content = b"".join(exported.streaming_content) if exported.streaming else exported.content
        upload = SimpleUploadedFile(f"referentiel.{file_format}", content)
        response = team.post(import_url, {"file": upload, "file_format": file_format, "label": "v3.0"})
        assert response.status_code == 200
        assert response.context["preview"] is not None, (file_format, response.context["problems"])
        assert_harmless(response, baseline=baseline, where=f"aperçu de l'import {file_format}")
    # A file whose cells are all payloads and whose structure is wrong: the problems list echoes them.
    broken = _csv_lines(PAYLOADS)
    response = team.post(
        import_url, {"file": SimpleUploadedFile("x.csv", broken), "file_format": "csv", "label": "v3.0"}
    )
    assert_harmless(response, baseline=baseline, where="import refusé")
    response = team.post(import_url, {"confirm": "1"})
    assert response.status_code == 302
    same_buttons = [problem.replace("/v2.0/", "/v3.0/") for problem in team_pages.baselines[draft_page]]
    assert_harmless(team.get(reverse("referentiel:draft_edit", args=["v3.0"])), baseline=same_buttons)


# --- Fiche de poste ------------------------------------------------------------------------------


def test_fiche_contributions_moderation_versions_and_my_fiche(client, settings):
    """Section direct edit (text, summary), suggestions (text, rationale), comments, reports, hiding and
    refusal reasons, version label and summary, and the member's own fiche; through the forms."""
    settings.PREVIEWS_PER_MINUTE = 2 * COUNT  # one preview per payload: more than a person's limit a minute
    fiche = fiche_with_sections(COUNT, slug=COMMON_FICHE_SLUG)
    sections = list(Section.objects.of(fiche).order_by("order"))
    curator, author, reader = UserFactory(curator=True), UserFactory(), UserFactory()
    team, own, other = (login(client.__class__(), user) for user in (curator, author, reader))
    post_form(team, reverse("fiches:version_publish", args=[fiche.slug]), {"label": "v1.0", "summary": "Première"})
    slug = fiche.slug
    per_section = [
        reverse(name, args=[slug, section.pk])
        for section in sections
        for name in ("fiches:section", "fiches:section_history", "fiches:revision_compare")
    ]
    lists = [reverse(name, args=[slug]) for name in ("fiches:detail", "fiches:history", "fiches:feed")]
    member_pages = Pages(other, [*lists, reverse("fiches:notifications")], plain=per_section)
    author_pages = Pages(own, [reverse("fiches:notifications")])
    team_pages = Pages(team, [reverse("fiches:moderation"), reverse("fiches:version_publish", args=[slug])])

    suggestions = []
    for number, (section, payload) in enumerate(zip(sections, PAYLOADS, strict=True)):
        edit_url = reverse("fiches:section_edit", args=[slug, section.pk])
        section.refresh_from_db()
        form = (
            None
            if number < 3
            else SectionEditForm(
                initial={"body": section.current_body, "base_revision": section.current_revision_id}, section=section
            )
        )
        post_form(team, edit_url, {"body": payload, "summary": payload}, form=form)
        create_url = reverse("fiches:suggestion_create", args=[slug, section.pk])
        section.refresh_from_db()
        form = None if number < 3 else SuggestionForm(initial={"body": section.current_body}, section=section)
        post_form(own, create_url, {"body": f"{payload} (proposition)", "rationale": payload}, form=form)
        suggestion = Suggestion.objects.filter(section=section).latest("pk")
        suggestions.append(suggestion)
        response = own.post(reverse("fiches:comment_create", args=[suggestion.pk]), {"body": payload})
        assert response.status_code == 302
        comment = Comment.objects.filter(suggestion=suggestion).latest("pk")
        post_form(
            other,
            reverse("fiches:comment_report", args=[comment.pk]),
            {"reason": payload},
            form=ReasonForm() if number >= 3 else None,
        )
        if number % 2:
            response = team.post(reverse("fiches:suggestion_reject", args=[suggestion.pk]), {"reason": payload})
            assert response.status_code == 302
        if number % 3 == 0:
            post_form(
                team,
                reverse("fiches:comment_hide", args=[comment.pk]),
                {"reason": payload},
                form=ReasonForm() if number >= 3 else None,
            )
        # Text typed but only previewed: the diff shown with htmx, and the page without it.
        preview = own.post(
            reverse("fiches:suggestion_preview", args=[slug, section.pk]),
            {"body": payload},
            headers={"HX-Request": "true"},
        )
        assert_harmless(preview, where=f"aperçu {number}")
    team_pages.check()
    assert Suggestion.objects.exclude(decision_reason="").count() == COUNT // 2

    # A version label is checked (hostile ones are refused and echoed), the summary is free text.
    publish = reverse("fiches:version_publish", args=[slug])
    for payload in PAYLOADS:
        response = post_form(
            team, publish, {"label": payload, "summary": payload}, expect_redirect=False, form=PublishForm()
        )
        assert response.status_code == 200, payload
    post_form(team, publish, {"label": "v2.0", "summary": "\n".join(PAYLOADS)})
    member_pages.check(must_show="&lt;script&gt;alert(1)&lt;/script&gt;")
    author_pages.check()
    for number, suggestion in enumerate(suggestions):
        assert_harmless(own.get(reverse("fiches:suggestion", args=[suggestion.pk])))
        if number % 4 == 0:  # the same templates, with the team's buttons and the author's form
            assert_harmless(team.get(reverse("fiches:suggestion", args=[suggestion.pk])))
            assert_harmless(own.get(reverse("fiches:suggestion_update", args=[suggestion.pk])))
    for url in (
        *lists[:1],
        reverse("fiches:versions", args=[slug]),
        reverse("fiches:version", args=[slug, "v2.0"]),
        reverse("fiches:version_compare", args=[slug]) + "?de=v1.0&a=v2.0",
    ):
        assert_harmless(client.get(url))

    # My fiche: job title, employer, local context, and my own text for each section.
    post_form(
        own,
        reverse("fiches:my_fiche"),
        {"job_title": PAYLOADS[0], "employer": PAYLOADS[1], "local_context": "\n".join(PAYLOADS)},
    )
    personal = PersonalFiche.objects.get(owner=author)
    for number, payload in enumerate(PAYLOADS):
        personal.refresh_from_db()  # its version token moves on with each save
        form = PersonalFicheForm(instance=personal) if number else None
        post_form(
            own,
            reverse("fiches:my_fiche_edit"),
            {"job_title": payload, "employer": payload, "local_context": payload},
            form=form,
        )
        mine = personal.sections.order_by("order")[number]
        initial = {"body": mine.body, "lock_version": mine.lock_version}
        form = PersonalSectionForm(initial=initial, section=mine.section) if number else None
        post_form(own, reverse("fiches:my_section_edit", args=[mine.pk]), {"body": payload}, form=form)
        if number % 8 == 0:
            assert_harmless(own.get(reverse("fiches:my_fiche")), where=f"ma fiche {number}")
            assert_harmless(own.get(reverse("fiches:my_section_edit", args=[mine.pk])))
    assert_harmless(own.get(reverse("fiches:my_fiche")))
    assert_harmless(own.get(reverse("members:my_data")))


# --- What is typed into filters and search boxes -------------------------------------------------

ECHOING = [
    # (role, URL name, parameters echoed in the page)
    ("admin", "audit_list", ("actor", "action", "date_from", "date_to", "page")),
    ("member", "members:directory", ("q", "region", "department", "kind", "status", "time_share", "page")),
    ("anonymous", "referentiel:search", ("q",)),
    ("anonymous", "referentiel:compare", ("de", "a")),
    ("member", "members:profile_preview", ("comme",)),
    ("curator", "dashboard:network", ("region", "kind", "department", "mission", "competence")),
    ("anonymous", "fiches:version_compare", ("de", "a")),
    ("member", "fiches:revision_compare", ("de", "a", "mode")),
    ("member", "fiches:history", ("page",)),
    ("member", "fiches:notifications", ("page",)),
]


@pytest.mark.parametrize(("role", "name", "parameters"), ECHOING, ids=[name for _, name, _ in ECHOING])
def test_filters_and_search_boxes_echo_what_was_typed_harmlessly(client, role, name, parameters):
    build_version(small_data("v1.0"))
    fiche = fiche_with_sections(1, slug=COMMON_FICHE_SLUG)
    args = {
        "fiches:version_compare": [fiche.slug],
        "fiches:history": [fiche.slug],
        "fiches:revision_compare": [fiche.slug, fiche.sections.get().pk],
    }.get(name, [])
    if role != "anonymous":
        login(client, UserFactory(**({role: True} if role in {"admin", "curator"} else {})))
    url = reverse(name, args=args)
    # The full page, and the fragment htmx asks for (with its own out-of-band elements).
    variants = [{}, {"HX-Request": "true"}]
    baselines = [response_problems(client.get(url, headers=headers)) for headers in variants]
    for payload in PAYLOADS:
        for headers, baseline in zip(variants, baselines, strict=True):
            response = client.get(url, dict.fromkeys(parameters, payload), headers=headers)
            assert response.status_code in (200, 404), (url, payload, response.status_code)
            assert_harmless(response, baseline=baseline, where=f"{url} {payload!r}")
