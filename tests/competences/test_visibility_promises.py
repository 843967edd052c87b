"""Each promise the entry pages make about who sees a self-assessment or a declared mission, checked
against every surface that could break it: the directory's filters, its search and its result count,
the profile page, as another member and as the CNCD team (issue 13, part 6).

The rules: a self-assessment is private unless its member opted in on the self-assessment page; once
opted in, the directory's competence filter only says "level ≥ the one searched for", to those who see
the member's post, and never shows a level or an example. Declared missions follow the profile's post
visibility (the mission filter); their time shares are shown nowhere.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from competences.models import AssessmentSharing, SelfAssessment
from members.enums import Visibility
from missions.models import MissionDeclaration
from referentiel import services
from tests.html import content_text, main_text, select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version
from tests.two_tabs import open_form, save_twice

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("members:directory")
SELF_ASSESSMENT = reverse("referentiel:self_assessment")
DECLARATION = reverse("missions:declaration")
# The scale of tests.referentiel.factories.small_data, and what identifies competence C-1-01.
LEVEL_LABELS = ("Notions", "Application", "Maîtrise", "Expertise")
COMPETENCE = ("C-1-01", "Compétence 1.1")
DECLARED_SHARE = 37  # a share no profile shows (their own time share is 50 %)

# name: (post visibility, opted in to the directory, level on C-1-01, declared mission)
PEOPLE = {
    "Paule Privée": (Visibility.MEMBERS, False, 4, "M1"),
    "Olivier Ouvert": (Visibility.MEMBERS, True, 3, "M2"),
    "Pia Publique": (Visibility.PUBLIC, True, 1, "M2"),
    "Tina Équipe": (Visibility.TEAM, True, 4, "M1"),
    "Hugo Masqué": (Visibility.HIDDEN, True, 4, "M1"),
}
OFF_STATEMENT = (
    "Vos réponses ne sont visibles que par vous : elles n'apparaissent ni sur votre profil, ni dans l'annuaire, "
    "ni dans les chiffres du réseau."
)
CHECKBOX_LABEL = "Permettre aux membres de me trouver dans l'annuaire par compétence et niveau minimum"
FORGED_VALUE_MESSAGE = "Ce choix n'a pas pu être lu : cochez ou décochez la case, puis enregistrez de nouveau."


@pytest.fixture
def network():
    version = build_version()
    profiles = {}
    for name, (visibility, opted_in, level, mission) in PEOPLE.items():
        profile = profiles[name] = ProfileFactory(display_name=name, post_visibility=visibility)
        SelfAssessment.objects.create(
            user=profile.user, code="C-1-01", level=level, evidence=f"Preuve de {name}", version=version
        )
        if opted_in:
            AssessmentSharing.objects.create(user=profile.user, in_directory=True)
        MissionDeclaration.objects.create(user=profile.user, mission_code=mission, time_share=DECLARED_SHARE)
    return profiles


@pytest.fixture
def viewers(network):
    """Another member and the CNCD team, each in their own browser."""
    clients = {}
    for audience, user in (("member", UserFactory()), ("team", UserFactory(curator=True))):
        ProfileFactory(user=user, display_name=f"Regard {audience}")
        clients[audience] = Client()
        clients[audience].force_login(user)
    return clients


def client_of(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def found(response) -> set[str]:
    """The names listed in the directory's results."""
    return {text_of(link) for link in select(response, "#directory-results h3 a")}


def result_count(response) -> int:
    text = text_of(select_one(response, "#directory-count"))
    return int(re.match(r"(\d+) technicien", text).group(1))


def search(client, **params):
    response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert result_count(response) == len(found(response))  # the count tells no more than the list
    return response


# --- A self-assessment is private unless its member opted in ------------------------------------------


@pytest.mark.parametrize("audience", ["member", "team"])
def test_a_member_who_did_not_opt_in_is_never_found_by_level(viewers, audience):
    client = viewers[audience]
    for level in ("", "1", "2", "3", "4"):
        response = search(client, competence="C-1-01", niveau=level)
        assert "Paule Privée" not in found(response)
        # Searching her name with the level narrows to nothing, whatever the level: no level can be told apart.
        response = search(client, q="Paule", competence="C-1-01", niveau=level)
        assert found(response) == set() and result_count(response) == 0
    # Her name and council stay in the directory: only the level filter leaves her out.
    assert found(search(client, q="Paule")) == {"Paule Privée"}


def test_opted_in_members_are_found_by_minimum_level_by_those_who_see_their_post(viewers):
    member, team = viewers["member"], viewers["team"]
    assert found(search(member, competence="C-1-01")) == {"Olivier Ouvert", "Pia Publique"}
    assert found(search(member, competence="C-1-01", niveau="3")) == {"Olivier Ouvert"}
    assert found(search(member, competence="C-1-01", niveau="4")) == set()
    # The team also sees the posts shown to the team only; a hidden post is found by nobody.
    assert found(search(team, competence="C-1-01")) == {"Olivier Ouvert", "Pia Publique", "Tina Équipe"}
    assert found(search(team, competence="C-1-01", niveau="4")) == {"Tina Équipe"}


@pytest.mark.parametrize("audience", ["member", "team"])
def test_the_exact_level_and_the_examples_are_shown_nowhere(network, viewers, audience):
    client = viewers[audience]
    secrets = (*LEVEL_LABELS, *COMPETENCE)
    for params in ({"competence": "C-1-01", "niveau": "3"}, {"q": "Olivier"}, {}):
        for headers in ({}, {"HX-Request": "true"}):  # the full page and the fragment htmx swaps in
            response = client.get(DIRECTORY, params, headers=headers)
            results = text_of(select_one(response, "#directory-results"))
            assert "Olivier Ouvert" in results
            assert not [secret for secret in secrets if secret in results]
            assert "Preuve de" not in content_text(response)
    for name in ("Olivier Ouvert", "Paule Privée", "Tina Équipe"):
        page = client.get(reverse("members:detail", args=[network[name].user_id]))
        shown = main_text(page)
        assert name in shown
        assert not [secret for secret in (*secrets, "Mission 1", "Mission 2") if secret in shown]
        assert "Preuve de" not in content_text(page) and f"{DECLARED_SHARE} %" not in content_text(page)


# --- Declared missions follow the profile's post visibility ---------------------------------------------


def test_declared_missions_are_found_by_those_who_see_the_post(viewers):
    assert found(search(viewers["member"], mission="M1")) == {"Paule Privée"}
    assert found(search(viewers["team"], mission="M1")) == {"Paule Privée", "Tina Équipe"}
    assert found(search(viewers["member"], mission="M2")) == {"Olivier Ouvert", "Pia Publique"}


# --- What each entry page says is what the directory does ------------------------------------------------


def finders_stated(statement: str, *, members_wording: str, team_wording: str) -> set[str]:
    """Who the sentence says may find the member: "member" (members and the team), "team", or nobody."""
    if members_wording in statement:
        return {"member", "team"}
    if team_wording in statement:
        return {"team"}
    assert "personne ne" in statement or OFF_STATEMENT in statement, statement
    return set()


@pytest.mark.parametrize("name", PEOPLE)
def test_the_self_assessment_page_states_the_rule_the_directory_applies(network, viewers, name):
    page = client_of(network[name]).get(SELF_ASSESSMENT)
    statement = text_of(select_one(page, "#visibility-rule"))
    finders = finders_stated(
        statement,
        members_wording="les membres du réseau et l'équipe CNCD, qui voient la rubrique",
        team_wording="l'équipe CNCD, seule à voir la rubrique",
    )
    for audience, client in viewers.items():
        assert (name in found(search(client, competence="C-1-01"))) == (audience in finders), (audience, statement)
    # The dashboard's aggregate counts the same people as the directory filter (dashboard.selectors).
    if "Vous avez accepté" in statement:
        assert "Sans votre nom, vos niveaux comptent aussi dans les chiffres d'ensemble" in statement
    else:
        assert statement == OFF_STATEMENT


def test_the_self_assessment_page_says_exactly_what_each_choice_means(network):
    off = text_of(select_one(client_of(network["Paule Privée"]).get(SELF_ASSESSMENT), "#visibility-rule"))
    assert off.startswith(OFF_STATEMENT)
    on = text_of(select_one(client_of(network["Olivier Ouvert"]).get(SELF_ASSESSMENT), "#visibility-rule"))
    assert on.startswith(
        "Vos niveaux et vos exemples ne sont affichés qu'à vous, ni sur votre profil ni dans l'annuaire. "
        "Vous avez accepté d'être trouvé·e par niveau : les membres du réseau et l'équipe CNCD, qui voient la "
        "rubrique « Mon poste » de votre profil, peuvent vous trouver dans l'annuaire en cherchant une compétence "
        "et un niveau minimum que vous atteignez."
    )
    hidden = text_of(select_one(client_of(network["Hugo Masqué"]).get(SELF_ASSESSMENT), "#visibility-rule"))
    assert "personne ne peut donc vous trouver ainsi dans l'annuaire" in hidden


@pytest.mark.parametrize("name", PEOPLE)
def test_the_declaration_page_states_the_rule_the_directory_applies(network, viewers, name):
    page = client_of(network[name]).get(DECLARATION)
    statement = text_of(select_one(page, "#visibility-rule"))
    assert statement.startswith("La part de temps de chaque mission n'est visible que par vous.")
    finders = finders_stated(
        statement,
        members_wording="les membres du réseau et l'équipe CNCD, qui la voient",
        team_wording="l'équipe CNCD, seule à la voir",
    )
    mission = PEOPLE[name][3]
    for audience, client in viewers.items():
        assert (name in found(search(client, mission=mission))) == (audience in finders), (audience, statement)


def test_the_heatmap_the_pages_mention_is_for_the_team_only(viewers):
    network_figures = reverse("dashboard:network")
    assert viewers["member"].get(network_figures).status_code == 403
    assert viewers["team"].get(network_figures).status_code == 200


# --- The opt-in, through the self-assessment page -----------------------------------------------------


def checkbox(response):
    return select_one(response, "input[name=in_directory]")


def test_the_opt_in_is_off_by_default_then_saved_shown_and_withdrawn(network, viewers):
    paule = network["Paule Privée"]
    client = client_of(paule)
    page = client.get(SELF_ASSESSMENT)
    assert "checked" not in checkbox(page).attrib
    assert CHECKBOX_LABEL in main_text(page)
    assert "mais en essayant plusieurs niveaux on peut en déduire le vôtre" in main_text(page)

    response = client.post(SELF_ASSESSMENT, open_form(client, SELF_ASSESSMENT) | {"in_directory": "on"}, follow=True)
    assert "Votre auto-évaluation est enregistrée." in main_text(response)
    assert "checked" in checkbox(response).attrib
    assert OFF_STATEMENT not in main_text(response)
    assert "Paule Privée" in found(search(viewers["member"], competence="C-1-01", niveau="4"))
    assert SelfAssessment.objects.get(user=paule.user, code="C-1-01").level == 4  # the ratings kept as they were

    form = open_form(client, SELF_ASSESSMENT)
    assert form["in_directory"] == "on"
    form.pop("in_directory")  # the box unticked: a browser sends nothing
    response = client.post(SELF_ASSESSMENT, form, follow=True)
    assert "checked" not in checkbox(response).attrib
    assert OFF_STATEMENT in main_text(response)
    assert "Paule Privée" not in found(search(viewers["member"], competence="C-1-01", niveau="4"))


@pytest.mark.parametrize("value", ["oui", "1", "true", "x" * 5000])
def test_a_forged_value_is_refused_in_french_and_nothing_is_saved(network, value):
    paule = network["Paule Privée"]
    client = client_of(paule)
    data = open_form(client, SELF_ASSESSMENT) | {"in_directory": value, "level-C-1-02": "2"}
    response = client.post(SELF_ASSESSMENT, data)
    assert response.status_code == 200
    shown = main_text(response)
    assert FORGED_VALUE_MESSAGE in shown
    assert "Certaines réponses n'ont pas pu être enregistrées" in shown
    assert "checked" not in checkbox(response).attrib
    assert not AssessmentSharing.objects.filter(user=paule.user).exists()
    assert not SelfAssessment.objects.filter(user=paule.user, code="C-1-02").exists()


def test_the_choice_changed_in_another_tab_is_a_conflict_not_an_overwrite(network):
    olivier = network["Olivier Ouvert"]
    client = client_of(olivier)
    # The first tab withdraws (the box unticked is not sent); the second, opened before, saves a rating.
    first = open_form(client, SELF_ASSESSMENT)
    first.pop("in_directory")
    second = open_form(client, SELF_ASSESSMENT)
    assert client.post(SELF_ASSESSMENT, first).status_code == 302
    response = client.post(SELF_ASSESSMENT, second | {"level-C-1-02": "2"})
    shown = main_text(response)
    assert response.status_code == 200 and "Conflit de modification" in shown
    assert "Trouvable dans l'annuaire par compétence et niveau" in shown
    assert not AssessmentSharing.objects.get(user=olivier.user).in_directory  # the first tab's choice stands
    assert not SelfAssessment.objects.filter(user=olivier.user, code="C-1-02").exists()


def test_two_tabs_saving_ratings_still_conflict_with_the_choice_on(network):
    client = client_of(network["Olivier Ouvert"])
    response = save_twice(client, client, SELF_ASSESSMENT, {"level-C-1-02": "3"}, {"level-C-1-02": "1"})
    assert "Conflit de modification" in main_text(response)


# --- The services -----------------------------------------------------------------------------------


def test_assessment_sharing_set_records_the_latest_choice(member):
    sharing = services.assessment_sharing_set(user=member, in_directory=True)
    assert sharing.in_directory and AssessmentSharing.objects.in_directory().filter(user=member).exists()
    services.assessment_sharing_set(user=member, in_directory=False)
    assert AssessmentSharing.objects.filter(user=member).count() == 1
    assert not AssessmentSharing.objects.in_directory().filter(user=member).exists()


def test_self_assessment_save_leaves_the_choice_alone_unless_given(member):
    version = build_version()
    services.assessment_sharing_set(user=member, in_directory=True)
    services.self_assessment_save(user=member, version=version, ratings={"C-1-01": (2, False, "")})
    assert AssessmentSharing.objects.get(user=member).in_directory
    services.self_assessment_save(user=member, version=version, ratings={}, in_directory=False)
    assert not AssessmentSharing.objects.get(user=member).in_directory


def test_the_form_token_covers_the_choice(member):
    build_version()
    before = services.self_assessment_token(member)
    services.assessment_sharing_set(user=member, in_directory=True)
    assert services.self_assessment_token(member) != before
    services.assessment_sharing_set(user=member, in_directory=False)
    assert services.self_assessment_token(member) == before  # off is the default: old forms stay valid


def test_only_opted_in_ratings_are_shared_in_the_directory(network):
    shared = set(SelfAssessment.objects.shared_in_directory().values_list("user__profile__display_name", flat=True))
    assert shared == {name for name, (_v, opted_in, _l, _m) in PEOPLE.items() if opted_in}
