"""Council pages of the vitrine: the public list and page, editing by the council's technician·nes, the team's
check, the choice to appear, the themes, through the HTTP layer and the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit_sentences import audit_sentence
from core.models import AuditEntry
from fiches.models import Notification
from members.enums import TerritoryKind
from showcase import councils, works
from showcase.enums import PageStatus
from showcase.models import CouncilPage, ShowcasePreference, Theme
from tests.html import main_text, select
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.showcase.factories import CouncilPageFactory, ThemeFactory, WorkFactory

pytestmark = pytest.mark.django_db

PAGE_DATA = {
    "presentation": "Le conseil réunit habitant·es et associations autour du projet de territoire.",
    "territory": "32 communes, 115 000 habitant·es",
    "member_count": "85",
    "founded_year": "2002",
    "selection_method": "volontariat",
    "selection_details": "Ouvert à toutes et tous.",
    "website": "https://conseil.example.org/",
}


def technician(council, *, appears=False, **profile):
    user = UserFactory()
    ProfileFactory(user=user, council=council, **profile)
    if appears:
        councils.preference_set(user=user, appears=True)
    return user


def login(client, user):
    client.force_login(user)
    return client


def published_page(**kwargs):
    """A published page (unless told otherwise) whose region is its council's, as the services keep it."""
    council = kwargs.pop("council", None) or CouncilFactory()
    kwargs.setdefault("region", councils.region_of(council))
    return CouncilPageFactory(council=council, **kwargs)


# --- The public ------------------------------------------------------------------------------------


def test_the_public_list_shows_only_published_pages_of_validated_councils(client):
    shown = published_page(council=CouncilFactory(name="Conseil de développement de Val-d'Armor"))
    published_page(council=CouncilFactory(name="Conseil brouillon"), status=PageStatus.DRAFT)
    published_page(council=CouncilFactory(name="Conseil soumis"), status=PageStatus.SUBMITTED)
    published_page(council=CouncilFactory(name="Conseil non validé", is_validated=False))
    text = main_text(client.get(reverse("showcase:councils")))
    assert shown.council.name in text
    assert "brouillon" not in text and "soumis" not in text and "non validé" not in text
    assert "1 conseil" in text


def test_the_list_filters_by_region_type_and_whole_words_of_the_name(client):
    breton = published_page(council=CouncilFactory(name="Conseil du Pays de Vannes", departments=["56"]))
    published_page(
        council=CouncilFactory(name="Conseil de la Métropole Garonne", departments=["33"], kind=TerritoryKind.METROPOLE)
    )
    url = reverse("showcase:councils")
    region = main_text(client.get(url, {"region": "53"}))
    assert "Pays de Vannes" in region and "Garonne" not in region
    kind = main_text(client.get(url, {"kind": TerritoryKind.METROPOLE}))
    assert "Garonne" in kind and "Vannes" not in kind
    assert "Vannes" in main_text(client.get(url, {"q": "vannes"}))
    assert "Vannes" not in main_text(client.get(url, {"q": "vann"}))  # whole words only
    assert breton.region.code == "53"
    # A value that is not a choice is ignored; the other criteria still narrow.
    assert "Vannes" in main_text(client.get(url, {"region": "zz", "q": "Vannes"}))


def test_the_list_answers_htmx_with_its_results_only(client):
    published_page()
    response = client.get(reverse("showcase:councils"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="council-results"' in html and "<header" not in html
    assert "HX-Request" in response["Vary"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_pages(client):
    url = reverse("showcase:councils")
    for _ in range(2):
        published_page()
    few = _queries(client, url)
    for _ in range(8):
        published_page(council=CouncilFactory(departments=["33"]))
    assert _queries(client, url) == few
    assert _queries(client, url + "?q=conseil&region=53") <= few + 1


def test_the_council_page_shows_its_record_and_the_technicians_who_chose_to_appear(client):
    page = published_page(selection_method="tirage", member_count=120, founded_year=2001)
    appearing = technician(page.council, appears=True, display_name="Léa Fontaine", job_title="Chargée de mission")
    technician(page.council, display_name="Hugo Discret")  # did not choose to appear
    pending = UserFactory(pending=True)
    ProfileFactory(user=pending, council=page.council, display_name="Nina Attente")
    councils.preference_set(user=pending, appears=True)
    elsewhere = technician(CouncilFactory(), appears=True, display_name="Paul Ailleurs")
    text = main_text(client.get(page.get_absolute_url()))
    assert page.council.name in text and page.council.authority_name in text
    assert "Tirage au sort" in text and "120" in text and "2001" in text and "Bretagne" in text
    assert "Ille-et-Vilaine (35)" in text
    assert "Léa Fontaine" in text and "Chargée de mission" in text
    assert "Hugo Discret" not in text and "Nina Attente" not in text and "Paul Ailleurs" not in text
    assert appearing.email not in text and elsewhere.pk
    # Only the name and the post: nothing else of the profile.
    assert "Je coordonne les travaux" not in text


def test_the_council_page_lists_its_published_works_only(client):
    page = published_page()
    WorkFactory(page=page, title="Avis sur le plan de mobilité")
    WorkFactory(page=page, title="Brouillon d'avis", status="brouillon")
    text = main_text(client.get(page.get_absolute_url()))
    assert "Avis sur le plan de mobilité" in text and "Brouillon d'avis" not in text


def test_the_council_page_takes_the_same_number_of_queries_whatever_it_shows(client):
    page = published_page()
    technician(page.council, appears=True)
    WorkFactory(page=page, themes=[ThemeFactory()])
    works.library_generation()  # the cache key exists (its creation is not the page's cost)
    few = _queries(client, page.get_absolute_url())
    for _ in range(5):
        technician(page.council, appears=True)
        WorkFactory(page=page, themes=[ThemeFactory(), ThemeFactory()])
    works.library_changed()  # what the works services do (the factory does not): the cached list is forgotten
    assert _queries(client, page.get_absolute_url()) == few
    # Then the list of works is read from the cache (kept under the library's generation).
    with CaptureQueriesContext(connection) as queries:
        client.get(page.get_absolute_url())
    assert not [query for query in queries if "showcase_work" in query["sql"]]


@pytest.mark.parametrize("status", [PageStatus.DRAFT, PageStatus.SUBMITTED, PageStatus.CHANGES])
def test_a_page_not_published_is_a_404_for_the_public_and_other_members(client, status):
    page = published_page(status=status)
    assert client.get(page.get_absolute_url()).status_code == 404
    assert login(client, technician(CouncilFactory())).get(page.get_absolute_url()).status_code == 404
    assert login(client, technician(page.council)).get(page.get_absolute_url()).status_code == 200
    assert login(client, UserFactory(curator=True)).get(page.get_absolute_url()).status_code == 200


def test_a_page_of_a_council_no_longer_validated_is_not_public(client):
    page = published_page(council=CouncilFactory(is_validated=False))
    assert client.get(page.get_absolute_url()).status_code == 404


def test_the_home_of_the_vitrine_counts_councils_and_lists_the_latest_works(client):
    page = published_page()
    published_page(status=PageStatus.DRAFT)
    for number in range(7):
        WorkFactory(page=page, title=f"Travail numéro {number}", issued_on=f"2025-0{number + 1}-01")
    response = client.get(reverse("showcase:home"))
    text = main_text(response)
    assert "1 conseil présente sa page" in text
    assert "Travail numéro 6" in text and "Travail numéro 2" in text and "Travail numéro 1" not in text
    links = [a.get("href") for a in select(response, "main a")]
    assert reverse("showcase:councils") in links and reverse("showcase:works") in links


# --- The technician·nes write, the team checks --------------------------------------------------------


def test_a_technician_creates_submits_and_the_team_publishes_their_page(client):
    council = CouncilFactory(name="Conseil de développement du Haut-Bocage")
    author = technician(council)
    colleague = technician(council)
    login(client, author)
    mine = client.get(reverse("showcase:my_page"))
    assert "n'a pas encore de page" in main_text(mine)
    response = client.post(reverse("showcase:my_page"), PAGE_DATA, follow=True)
    page = CouncilPage.objects.get(council=council)
    assert page.status == PageStatus.DRAFT and page.updated_by == author and page.region.code == "53"
    assert page.slug == "conseil-de-developpement-du-haut-bocage"
    assert "Brouillon enregistré" in main_text(response)
    assert client.get(page.get_absolute_url()).status_code == 200
    response = client.post(reverse("showcase:council_submit", args=[page.slug]), follow=True)
    assert "l'équipe CNCD va la vérifier" in main_text(response)
    page.refresh_from_db()
    assert page.status == PageStatus.SUBMITTED

    curator = UserFactory(curator=True)
    login(client, curator)
    assert council.name in main_text(client.get(reverse("showcase:team")))
    response = client.post(
        reverse("showcase:council_check", args=[page.slug]), {"decision": "publier", "comment": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("showcase:team")
    page.refresh_from_db()
    assert page.status == PageStatus.PUBLISHED and page.checked_by == curator and page.published_at
    told = set(Notification.objects.filter(message__contains="est publiée").values_list("recipient", flat=True))
    assert told == {author.pk, colleague.pk}
    client.logout()
    assert "32 communes" in main_text(client.get(page.get_absolute_url()))
    actions = list(AuditEntry.objects.filter(target_id=str(page.pk)).values_list("action", flat=True))
    assert {"showcase.page.created", "showcase.page.submitted", "showcase.page.published"} <= set(actions)


def test_a_refused_form_keeps_what_was_typed_with_french_errors(client):
    council = CouncilFactory()
    login(client, technician(council))
    data = {**PAGE_DATA, "founded_year": "1850", "website": "pas une adresse", "member_count": "-3"}
    response = client.post(reverse("showcase:my_page"), data)
    text = main_text(response)
    assert response.status_code == 200 and not CouncilPage.objects.exists()
    assert "Une année entre 1950" in text and "Saisissez une URL valide" in text
    assert PAGE_DATA["presentation"] in response.content.decode()


def test_the_team_asks_for_changes_with_a_comment_then_the_technicians_submit_again(client):
    page = published_page(status=PageStatus.SUBMITTED)
    author = technician(page.council)
    curator = UserFactory(curator=True)
    login(client, curator)
    url = reverse("showcase:council_check", args=[page.slug])
    response = client.post(url, {"decision": "modifications", "comment": ""}, follow=True)
    assert "Dites aux technicien·nes du conseil ce qu'il faut reprendre." in main_text(response)
    page.refresh_from_db()
    assert page.status == PageStatus.SUBMITTED
    client.post(url, {"decision": "modifications", "comment": "Ajoutez l'année de création."})
    page.refresh_from_db()
    assert page.status == PageStatus.CHANGES and page.check_comment == "Ajoutez l'année de création."
    assert Notification.objects.filter(recipient=author, message__contains="Ajoutez l'année").exists()
    login(client, author)
    mine = main_text(client.get(reverse("showcase:my_page")))
    assert "Ajoutez l'année de création." in mine and "Modifications demandées" in mine
    response = client.post(
        reverse("showcase:council_edit", args=[page.slug]),
        {**PAGE_DATA, "lock_version": page.lock_version, "action": "soumettre"},
    )
    page.refresh_from_db()
    assert response.status_code == 302 and page.status == PageStatus.SUBMITTED


def test_an_edit_after_publication_is_visible_at_once_and_flagged_for_the_team(client):
    page = published_page()
    author = technician(page.council)
    login(client, author)
    response = client.post(
        reverse("showcase:council_edit", args=[page.slug]),
        {**PAGE_DATA, "presentation": "Texte modifié après publication.", "lock_version": page.lock_version},
        follow=True,
    )
    assert "L'équipe CNCD les relira" in main_text(response)
    page.refresh_from_db()
    assert page.status == PageStatus.PUBLISHED and councils.needs_recheck(page)
    client.logout()
    assert "Texte modifié après publication." in main_text(client.get(page.get_absolute_url()))
    curator = UserFactory(curator=True)
    login(client, curator)
    assert page.council.name in main_text(client.get(reverse("team_todo")))
    assert "modifiées depuis la dernière vérification" in main_text(client.get(reverse("showcase:team")))
    client.post(reverse("showcase:council_check", args=[page.slug]), {"decision": "publier"})
    page.refresh_from_db()
    assert not councils.needs_recheck(page)
    assert AuditEntry.objects.filter(action="showcase.page.rechecked", target_id=str(page.pk)).exists()
    journal = main_text(client.get(reverse("team_journal")))
    # The team's journal shows its own check; the technician's edit reads in the audit log only.
    assert "a relu et confirmé la page modifiée" in journal and "a modifié la page publiée" not in journal
    edited = AuditEntry.objects.get(action="showcase.page.edited", target_id=str(page.pk))
    assert "a modifié la page publiée" in str(audit_sentence(edited))


def test_the_team_unpublishes_a_page_with_a_reason(client):
    page = published_page()
    author = technician(page.council)
    login(client, UserFactory(curator=True))
    client.post(
        reverse("showcase:council_check", args=[page.slug]),
        {"decision": "retirer", "comment": "Coordonnées personnelles dans la présentation."},
    )
    page.refresh_from_db()
    assert page.status == PageStatus.CHANGES
    assert Notification.objects.filter(recipient=author, message__contains="retiré de la vitrine").exists()
    client.logout()
    assert client.get(page.get_absolute_url()).status_code == 404


def test_two_edits_from_the_same_version_give_a_conflict_and_keep_what_was_typed(client):
    page = published_page(status=PageStatus.DRAFT)
    first, second = technician(page.council), technician(page.council)
    version = page.lock_version
    url = reverse("showcase:council_edit", args=[page.slug])
    login(client, first).post(url, {**PAGE_DATA, "presentation": "Version de la première.", "lock_version": version})
    response = login(client, second).post(
        url, {**PAGE_DATA, "presentation": "Version de la seconde.", "lock_version": version}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Conflit de modification" in html
    assert "Version de la seconde." in html and "Version de la première." in html
    page.refresh_from_db()
    assert page.presentation == "Version de la première."


def test_only_the_councils_technicians_and_the_team_edit_a_page(client):
    page = published_page()
    url = reverse("showcase:council_edit", args=[page.slug])
    assert login(client, technician(CouncilFactory())).get(url).status_code == 403
    assert login(client, technician(page.council)).get(url).status_code == 200
    assert login(client, UserFactory(curator=True)).get(url).status_code == 200
    pending = UserFactory(pending=True)
    ProfileFactory(user=pending, council=page.council)
    assert not councils.can_edit_page(pending, page)
    with pytest.raises(councils.ShowcaseError):
        councils.page_update(page_id=page.pk, user=technician(CouncilFactory()), data={}, lock_version=None)


def test_a_member_of_a_council_not_yet_validated_cannot_start_its_page(client):
    council = CouncilFactory(is_validated=False, name="Conseil en attente de validation")
    member = technician(council)
    text = main_text(login(client, member).get(reverse("showcase:my_page")))
    assert "attend d'être validé" in text
    client.post(reverse("showcase:my_page"), PAGE_DATA)
    assert not CouncilPage.objects.exists()
    with pytest.raises(councils.ShowcaseError):
        councils.page_create(user=member, council=council, data={})


def test_the_team_only_decides_and_members_get_a_403(client):
    page = published_page(status=PageStatus.SUBMITTED)
    response = login(client, technician(page.council)).post(
        reverse("showcase:council_check", args=[page.slug]), {"decision": "publier"}
    )
    assert response.status_code == 403
    with pytest.raises(councils.ShowcaseError):
        councils.page_publish(page_id=page.pk, actor=technician(page.council))


def test_the_page_follows_its_councils_region():
    council = CouncilFactory(departments=["12", "46", "33"])
    assert councils.region_of(council).code == "76"  # Occitanie holds two of the three


# --- The choice to appear ------------------------------------------------------------------------------


def test_appearing_is_off_by_default_and_chosen_on_my_vitrine(client):
    page = published_page()
    member = technician(page.council, display_name="Zoé Martin")
    assert "Zoé Martin" not in main_text(client.get(page.get_absolute_url()))
    login(client, member)
    mine = client.get(reverse("showcase:my_page"))
    assert not select(mine, "input#id_appears[checked]")
    client.post(reverse("showcase:preference"), {"appears": "on"})
    assert ShowcasePreference.objects.get(user=member).appears_on_council_page
    client.logout()
    assert "Zoé Martin" in main_text(client.get(page.get_absolute_url()))
    login(client, member).post(reverse("showcase:preference"), {})
    client.logout()
    assert "Zoé Martin" not in main_text(client.get(page.get_absolute_url()))
    assert AuditEntry.objects.filter(action="showcase.preference.changed", actor=member).count() == 2


def test_the_choice_is_also_on_the_members_own_profile_page(client):
    page = published_page()
    member = technician(page.council)
    response = login(client, member).get(reverse("members:detail", args=[member.pk]))
    assert "Apparaître sur la page de mon conseil" in main_text(response)
    response = client.post(reverse("showcase:preference"), {"appears": "on", "retour": "profil"})
    assert response["Location"] == reverse("members:detail", args=[member.pk])
    other = technician(CouncilFactory())
    text = main_text(login(client, other).get(reverse("members:detail", args=[member.pk])))
    assert "Apparaître sur la page de mon conseil" not in text
    assert "page publique du conseil" in text


def test_personal_data_export_and_erase():
    from core.personal_data import personal_data_kinds

    page = published_page()
    member = technician(page.council, appears=True)
    curator = UserFactory(curator=True)
    CouncilPage.objects.filter(pk=page.pk).update(updated_by=member, checked_by=curator)
    kinds = {kind.key: kind for kind in personal_data_kinds()}
    assert kinds["vitrine-apparition"].export(member)[0]["appears_on_council_page"] is True
    assert kinds["vitrine-pages-des-conseils"].export(member)[0]["council"] == page.council.name
    assert kinds["vitrine-pages-des-conseils"].export(curator)[0]["role"].startswith("dernière vérification")
    for kind in ("vitrine-apparition", "vitrine-pages-des-conseils"):
        kinds[kind].erase(member)
        kinds[kind].erase(curator)
    page.refresh_from_db()
    assert page.updated_by is None and page.checked_by is None
    assert not ShowcasePreference.objects.filter(user=member).exists()


# --- Themes --------------------------------------------------------------------------------------------


def test_the_team_manages_the_themes(client):
    login(client, UserFactory(curator=True))
    url = reverse("showcase:themes")
    client.post(url, {"name": "Mobilité"})
    theme = Theme.objects.get(name="Mobilité")
    assert theme.slug == "mobilite" and theme.is_active
    response = client.post(url, {"name": "mobilité"})
    assert "Un thème porte déjà ce nom." in main_text(response)
    edit = reverse("showcase:theme_edit", args=[theme.pk])
    client.post(edit, {"name": "Mobilités", "position": "5", "is_active": ""})
    theme.refresh_from_db()
    assert (theme.name, theme.position, theme.is_active, theme.slug) == ("Mobilités", 5, False, "mobilite")
    WorkFactory(themes=[theme])
    response = client.post(reverse("showcase:theme_delete", args=[theme.pk]), follow=True)
    assert "il ne peut pas être supprimé" in main_text(response) and Theme.objects.filter(pk=theme.pk).exists()
    unused = ThemeFactory(name="Eau")
    client.post(reverse("showcase:theme_delete", args=[unused.pk]))
    assert not Theme.objects.filter(pk=unused.pk).exists()
    assert "a supprimé le thème « Eau »" in main_text(client.get(reverse("team_journal")))


def test_members_do_not_manage_themes(member_client):
    assert member_client.get(reverse("showcase:themes")).status_code == 403
    assert member_client.get(reverse("showcase:team")).status_code == 403


def test_the_demo_seeds_themes_and_pages_idempotently():
    from members import demo as members_demo
    from showcase import demo

    members_demo.seed()
    demo._seed_councils()
    demo._seed_councils()
    assert Theme.objects.count() == 14
    assert CouncilPage.objects.count() == 12
    assert CouncilPage.objects.published().count() == 10
    assert CouncilPage.objects.filter(status=PageStatus.SUBMITTED).count() == 1
    assert ShowcasePreference.objects.filter(appears_on_council_page=True).count() >= 3


def test_the_technicians_home_tells_them_when_the_team_asks_for_changes(client):
    page = published_page(status=PageStatus.SUBMITTED)
    member = technician(page.council)
    councils.page_request_changes(page_id=page.pk, actor=UserFactory(curator=True), comment="Précisez le territoire.")
    text = main_text(login(client, member).get(reverse("my_space")))
    assert "La page de votre conseil dans la vitrine" in text and "l'équipe CNCD demande des modifications" in text


def test_another_area_adds_its_block_to_the_teams_queue(client):
    from core.home import HomeBlock

    def works_to_moderate(user):
        return HomeBlock("showcase-works-test", "Travaux signalés (essai)", text="Rien à modérer.")

    councils.team_queue_block_register(works_to_moderate)
    try:
        text = main_text(login(client, UserFactory(curator=True)).get(reverse("showcase:team")))
    finally:
        councils._TEAM_QUEUE_BLOCKS.remove(works_to_moderate)
    assert "Travaux signalés (essai)" in text


def test_what_technicians_write_is_escaped_on_the_public_page(client):
    page = published_page(presentation='<script>alert("vitrine")</script><b>gras</b>', territory="<i>Pays</i>")
    html = client.get(page.get_absolute_url()).content.decode()
    assert '<script>alert("vitrine")</script>' not in html and "<b>gras</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;Pays&lt;/i&gt;" in html
