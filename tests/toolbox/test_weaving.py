"""The toolbox woven into the rest of the site: référentiel pages, self-assessment, profiles, follows,
notifications, the personal home, the team's to-do page and journal."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, Notification
from members.enums import Credit, Visibility
from referentiel.services import self_assessment_save
from tests.html import main_text, select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox import services
from toolbox.enums import ResourceKind
from toolbox.models import ToolboxFollow

pytestmark = pytest.mark.django_db

COMPETENCE = ("competence", "C-1-01", "Compétence 1.1")
MISSION = ("mission", "M1", "Mission 1")


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


def competence_url(code="C-1-01"):
    return reverse("referentiel:competence", args=["v1.0", code])


def block(response, key):
    found = select(response, f"#block-{key}")
    return text_of(found[0]) if found else None


# The référentiel's pages ---------------------------------------------------------------------


def test_a_competence_page_lists_its_published_resources_as_each_visitor_may_read_them(client, version, curator):
    author = UserFactory()
    make_resource(author, title="Le world café", links=[COMPETENCE], published_by=curator, public=True)
    make_resource(author, title="Réservée aux membres", links=[COMPETENCE], published_by=curator)
    make_resource(author, title="Brouillon en cours", links=[COMPETENCE])
    make_resource(author, title="Ailleurs", links=[("competence", "C-1-02", "Compétence 1.2")], published_by=curator)

    anonymous = block(client.get(competence_url()), "toolbox-competence")
    assert "Ressources de la boîte à outils" in anonymous and "Le world café" in anonymous
    assert "Réservée aux membres" not in anonymous and "Brouillon en cours" not in anonymous
    assert "Ailleurs" not in anonymous
    assert "Suivre" not in anonymous  # visitors cannot follow

    client.force_login(UserFactory())
    page = client.get(competence_url())
    member = block(page, "toolbox-competence")
    assert "Le world café" in member and "Réservée aux membres" in member and "Brouillon en cours" not in member
    more = select_one(page, "#block-toolbox-competence a[href*='competence=C-1-01']")
    assert more.get("href") == reverse("toolbox:catalogue") + "?competence=C-1-01"
    assert "Voir les 2 ressources" in text_of(more)
    assert select_one(page, "#block-toolbox-competence button").get("id") == "suivre-C-1-01"


def test_the_most_useful_resources_come_first_and_five_at_most(client, version, curator):
    author, fan = UserFactory(), UserFactory()
    resources = [
        make_resource(author, title=f"Ressource {n}", links=[COMPETENCE], published_by=curator, public=True)
        for n in range(7)
    ]
    services.useful_toggle(resource_id=resources[3].pk, user=fan)
    text = block(client.get(competence_url()), "toolbox-competence")
    assert text.index("Ressource 3") < text.index("Ressource 6")
    assert text.count("Ressource ") == 5 and "Voir les 7 ressources" in text


def test_a_mission_page_links_the_catalogue_by_mission_and_an_activity_page_only_lists(client, version, curator):
    author = UserFactory()
    make_resource(
        author,
        title="Méthode partagée",
        links=[MISSION, ("activite", "M1.A1", "Réaliser l'activité 1.1")],
        published_by=curator,
        public=True,
    )
    mission = client.get(reverse("referentiel:mission", args=["v1.0", "M1"]))
    assert "Méthode partagée" in block(mission, "toolbox-mission")
    assert select(mission, f"#block-toolbox-mission a[href='{reverse('toolbox:catalogue')}?mission=M1']")
    activity = client.get(reverse("referentiel:activity", args=["v1.0", "M1.A1"]))
    assert "Méthode partagée" in block(activity, "toolbox-activity")
    assert not select(activity, "#block-toolbox-activity a[href*='competence=']")


def test_nothing_shows_to_visitors_when_no_resource_is_linked(client, member, version):
    assert block(client.get(competence_url()), "toolbox-competence") is None
    # Members see the block, to follow the competence and propose a resource.
    client.force_login(member)
    text = block(client.get(competence_url()), "toolbox-competence")
    assert "Aucune ressource de la boîte à outils" in text and "Proposer une ressource" in text


def test_the_competence_page_reads_a_bounded_number_of_queries(client, version, curator):
    author = UserFactory()
    make_resource(author, links=[COMPETENCE], published_by=curator, public=True)
    with CaptureQueriesContext(connection) as few:
        client.get(competence_url())
    for n in range(8):
        make_resource(author, title=f"R{n}", links=[COMPETENCE], published_by=curator, public=True)
    with CaptureQueriesContext(connection) as many:
        client.get(competence_url())
    assert len(many) <= len(few) + 1  # the count of a full list, not one query per resource


# The self-assessment -------------------------------------------------------------------------


@pytest.fixture
def fiche_expects(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2",
        order=1,
    )
    return fiche


def test_the_self_assessment_suggests_resources_for_a_gap_only(member_client, member, version, curator, fiche_expects):
    author = UserFactory()
    make_resource(author, title="Pour la 1.1", links=[COMPETENCE], published_by=curator)
    make_resource(author, title="Pour la 1.2", links=[("competence", "C-1-02", "Compétence 1.2")], published_by=curator)
    make_resource(author, title="Brouillon 1.1", links=[COMPETENCE])
    url = reverse("referentiel:self_assessment")

    assert block(member_client.get(url), "toolbox-progress") is None  # nothing rated: no gap

    # 1.1 below the level expected (3), 1.2 at it (2).
    self_assessment_save(user=member, version=version, ratings={"C-1-01": (1, False, ""), "C-1-02": (2, False, "")})
    page = member_client.get(url)
    text = block(page, "toolbox-progress")
    assert "Pour progresser" in text and "C-1-01 Compétence 1.1" in text
    assert "Votre niveau : 1 ; niveau attendu : 3" in text
    assert "Pour la 1.1" in text and "Brouillon 1.1" not in text
    assert "Pour la 1.2" not in text and "C-1-02" not in text
    assert select(page, f"#block-toolbox-progress a[href='{reverse('toolbox:catalogue')}?competence=C-1-01']")

    self_assessment_save(user=member, version=version, ratings={"C-1-01": (3, False, "")})
    assert block(member_client.get(url), "toolbox-progress") is None


def test_no_suggestion_without_a_common_fiche(member_client, member, version):
    self_assessment_save(user=member, version=version, ratings={"C-1-01": (1, False, "")})
    assert block(member_client.get(reverse("referentiel:self_assessment")), "toolbox-progress") is None


# Profiles ------------------------------------------------------------------------------------


def _profile_url(user):
    return reverse("members:detail", args=[user.pk])


def test_a_profile_shows_the_contributions_the_viewer_may_read(client, curator):
    author = UserFactory()
    ProfileFactory(user=author, public=True, credit=Credit.FULL_NAME)
    coauthored = make_resource(UserFactory(), title="Écrite à deux")
    coauthored.coauthors.add(author)
    services.resource_submit(resource_id=coauthored.pk, user=coauthored.owner)
    services.resource_publish(resource_id=coauthored.pk, actor=curator)
    make_resource(author, title="Ouverte à tous", published_by=curator, public=True)
    make_resource(author, title="Pour les membres", published_by=curator)
    make_resource(author, title="Pas encore publiée")

    anonymous = block(client.get(_profile_url(author)), "toolbox-contributions")
    assert "Contributions à la boîte à outils" in anonymous and "Ouverte à tous" in anonymous
    assert "Pour les membres" not in anonymous and "Écrite à deux" not in anonymous

    client.force_login(UserFactory())
    member = block(client.get(_profile_url(author)), "toolbox-contributions")
    assert "Ouverte à tous" in member and "Pour les membres" in member and "Écrite à deux" in member
    assert "Pas encore publiée" not in member


def test_a_member_who_chose_not_to_be_named_in_full_keeps_their_contributions_off_their_profile(client, curator):
    author = UserFactory()
    ProfileFactory(user=author, identity_visibility=Visibility.MEMBERS, credit=Credit.INITIALS)
    make_resource(author, title="Discrète", published_by=curator)
    client.force_login(UserFactory())
    assert block(client.get(_profile_url(author)), "toolbox-contributions") is None
    client.force_login(author)
    own = block(client.get(_profile_url(author)), "toolbox-contributions")
    assert "Discrète" in own and "Vous seul·e voyez cette liste" in own


def test_no_contribution_no_block(member_client):
    author = UserFactory()
    ProfileFactory(user=author, credit=Credit.FULL_NAME)
    assert block(member_client.get(_profile_url(author)), "toolbox-contributions") is None


# Follows -------------------------------------------------------------------------------------


FOLLOW = reverse("toolbox:follow")
FOLLOWS = reverse("toolbox:follows")


def test_a_member_follows_a_competence_from_its_page_and_stops(member_client, member, version):
    page = competence_url()
    response = member_client.post(FOLLOW, {"code": "C-1-01", "next": page})
    assert response.status_code == 302 and response["Location"] == page
    assert ToolboxFollow.objects.filter(user=member, code="C-1-01").exists()
    after = member_client.get(page)
    assert "Vous suivez cette compétence." in main_text(after)
    assert "Ne plus suivre" in text_of(select_one(after, "#suivre-C-1-01"))
    assert "C-1-01 Compétence 1.1" in main_text(member_client.get(FOLLOWS))

    member_client.post(FOLLOW, {"code": "C-1-01", "next": page})
    assert not ToolboxFollow.objects.filter(user=member).exists()


def test_a_member_follows_a_kind_from_the_follows_page(member_client, member):
    response = member_client.post(FOLLOW, {"nature": ResourceKind.METHOD, "next": FOLLOWS})
    assert response["Location"] == FOLLOWS
    assert ToolboxFollow.objects.filter(user=member, kind=ResourceKind.METHOD).exists()
    page = member_client.get(FOLLOWS)
    assert "Ne plus suivre" in text_of(select_one(page, f"#suivre-{ResourceKind.METHOD}"))
    assert "Ne plus suivre" not in text_of(select_one(page, f"#suivre-{ResourceKind.TOOL}"))


def test_htmx_gets_the_new_button_only(member_client, member, version):
    response = member_client.post(FOLLOW, {"code": "C-1-01", "next": competence_url()}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response["Vary"]
    html = response.content.decode()
    assert html.lstrip().startswith("<form") and "Ne plus suivre" in html and "<main" not in html


def test_follow_refuses_what_cannot_be_followed_and_never_leaves_the_site(member_client, member, version):
    response = member_client.post(FOLLOW, {"code": "C-9-99", "next": "https://ailleurs.example.com/"})
    assert response["Location"] == reverse("toolbox:catalogue")
    assert not ToolboxFollow.objects.exists()
    assert "n'existe pas" in main_text(member_client.get(response["Location"]))
    member_client.post(FOLLOW, {"nature": "inconnue"})
    member_client.post(FOLLOW, {})
    assert not ToolboxFollow.objects.exists()
    assert member_client.get(FOLLOW).status_code == 405


def test_who_may_follow(client, pending_user, version):
    response = client.post(FOLLOW, {"code": "C-1-01"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert client.get(FOLLOWS).status_code == 302
    client.force_login(pending_user)
    assert client.post(FOLLOW, {"code": "C-1-01"}).status_code in (302, 403)
    assert not ToolboxFollow.objects.exists()


# Notifications -------------------------------------------------------------------------------


def test_publishing_notifies_the_followers_of_its_kind_and_codes_not_its_author(
    version, curator, django_capture_on_commit_callbacks
):
    author, by_kind, by_code, other = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    services.follow_toggle(user=by_kind, kind=ResourceKind.METHOD)
    services.follow_toggle(user=by_code, code="C-1-01")
    services.follow_toggle(user=other, kind=ResourceKind.TOOL)
    services.follow_toggle(user=author, code="C-1-01")
    resource = make_resource(author, title="Le world café", kind=ResourceKind.METHOD, links=[COMPETENCE])
    services.resource_submit(resource_id=resource.pk, user=author)
    services.resource_publish(resource_id=resource.pk, actor=curator)

    told = Notification.objects.filter(message__contains="Nouvelle ressource dans la boîte à outils")
    assert set(told.values_list("recipient_id", flat=True)) == {by_kind.pk, by_code.pk}
    assert told.first().url == reverse("toolbox:detail", args=[resource.pk])

    call_command("send_notification_digest", stdout=StringIO())
    digest = next(message for message in mail.outbox if message.to == [by_code.email])
    assert "Le world café" in digest.body and reverse("toolbox:detail", args=[resource.pk]) in digest.body


# The personal home and the team's pages ------------------------------------------------------


HOME = reverse("my_space")
TODO = reverse("team_todo")


def test_the_home_shows_what_waits_for_the_member_and_what_is_new(member_client, member, curator):
    sent_back = make_resource(member, title="À reprendre")
    services.resource_submit(resource_id=sent_back.pk, user=member)
    services.resource_request_changes(resource_id=sent_back.pk, actor=curator, reason="Ajoutez le déroulé.")
    make_resource(member, title="Mon brouillon")
    make_resource(UserFactory(), title="Toute neuve", published_by=curator)
    make_resource(UserFactory(), title="Pas la mienne")

    page = member_client.get(HOME)
    needs = block(page, "needs-toolbox")
    assert "À reprendre" in needs and "à reprendre" in needs and "Mon brouillon" in needs
    assert "Pas la mienne" not in needs
    news = block(page, "news-toolbox")
    assert "Toute neuve" in news and "Mon brouillon" not in news and "Pas la mienne" not in news


def test_the_team_sees_what_waits_in_the_toolbox_and_members_do_not(client, member, curator):
    submitted = make_resource(UserFactory(), title="Soumise")
    services.resource_submit(resource_id=submitted.pk, user=submitted.owner)
    asked_public = make_resource(UserFactory(), title="Publique demandée", public=True)
    services.resource_submit(resource_id=asked_public.pk, user=asked_public.owner)
    services.resource_publish(resource_id=asked_public.pk, actor=curator, make_public=False)
    commented = make_resource(UserFactory(), title="Commentée", published_by=curator)
    comment = services.comment_add(resource_id=commented.pk, author=UserFactory(), body="Hors sujet")
    services.comment_report(comment_id=comment.pk, reporter=UserFactory(), reason="Propos déplacés")

    client.force_login(member)
    home = client.get(HOME)
    assert not select(home, "#block-todo-toolbox-submitted") and client.get(TODO).status_code == 403

    client.force_login(curator)
    page = client.get(TODO)
    assert "Soumise" in block(page, "todo-toolbox-submitted")
    assert select(page, f"#block-todo-toolbox-submitted a[href='{reverse('toolbox:review_queue')}']")
    assert "Publique demandée" in block(page, "todo-toolbox-public")
    assert "Commentée" in block(page, "todo-toolbox-reports") and "1 signalement" in block(page, "todo-toolbox-reports")
    assert "Ressources à examiner : 1" in main_text(client.get(HOME))

    services.comment_reports_dismiss(comment_id=comment.pk, actor=curator, reason="Rien à redire")
    assert block(client.get(TODO), "todo-toolbox-reports") is None


def test_the_team_journal_reads_the_toolbox_decisions(client, curator):
    claire = UserFactory(curator=True)
    ProfileFactory(user=claire, display_name="Claire Martin")
    resource = make_resource(UserFactory(), title="Le world café")
    services.resource_submit(resource_id=resource.pk, user=resource.owner)
    services.resource_refuse(resource_id=resource.pk, actor=claire, reason="Déjà dans le catalogue")
    client.force_login(curator)
    journal = reverse("team_journal")
    text = main_text(client.get(journal))
    assert "Claire Martin a refusé la ressource « Le world café » : « Déjà dans le catalogue »" in text
    assert "a soumis la ressource" not in text  # members' own steps stay in the administrators' log
    only = main_text(client.get(journal, {"domaine": "toolbox"}))
    assert "a refusé la ressource" in only
