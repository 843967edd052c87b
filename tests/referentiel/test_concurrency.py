"""Lost updates in the référentiel's curation (issue 12, item 4a) and the one-draft constraint.

Two curators open the same item, both save: the second gets the conflict page with both texts, the
database keeps the first. Before the version token, the second save silently overwrote the first.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel, SelfAssessment
from core.concurrency import EditConflict
from missions.models import Activity, Mission
from referentiel import services
from tests.html import page_text, select, select_one
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.two_tabs import open_form, save_twice

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    build_version(small_data("v1.0"))
    return build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)


@pytest.fixture
def claire(client):
    client.force_login(UserFactory(curator=True, first_name="Claire"))
    return client


@pytest.fixture
def karim(client_class):
    other = client_class()
    other.force_login(UserFactory(curator=True, first_name="Karim"))
    return other


@pytest.fixture
def client_class(client):
    return type(client)


def _assert_conflict(response, *, mine: str, theirs: str):
    page = page_text(response)
    assert response.status_code == 200
    assert "Conflit de modification" in page
    assert mine in page  # what the second curator typed is kept
    assert theirs in page  # the text saved in between is shown
    assert select(response, "del") and select(response, "ins")  # the differences are marked up


@pytest.mark.parametrize(
    ("kind", "code", "model", "field"),
    [
        ("missions", "M1", Mission, "purpose"),
        ("activites", "M1.A1", Activity, "description"),
        ("domaines", "D-1", Domain, "description"),
        ("competences", "C-1-01", Competence, "description"),
    ],
)
def test_two_curators_editing_the_same_item_the_second_gets_the_conflict_page(
    claire, karim, draft, kind, code, model, field
):
    url = reverse("referentiel:item_edit", args=[draft.label, kind, code])
    response = save_twice(
        claire,
        karim,
        url,
        {"title": "Intitulé de Claire", field: "Texte de Claire."},
        {"title": "Intitulé de Karim", field: "Texte de Karim."},
    )
    _assert_conflict(response, mine="Texte de Karim.", theirs="Texte de Claire.")
    assert "Intitulé de Claire" in page_text(response) and "Intitulé de Karim" in page_text(response)
    item = model.objects.get(version=draft, code=code)
    assert (item.title, getattr(item, field)) == ("Intitulé de Claire", "Texte de Claire.")

    # The form now carries the version Karim has seen: saving again is his deliberate choice.
    form = response.context["form"]
    assert form["lock_version"].value() == item.lock_version
    assert form["title"].value() == "Intitulé de Karim"
    again = karim.post(url, open_form(karim, url) | {"title": "Intitulé fusionné", field: "Texte des deux."})
    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.title, getattr(item, field)) == ("Intitulé fusionné", "Texte des deux.")


def test_a_competence_level_descriptor_is_covered_by_the_same_token(claire, karim, draft):
    url = reverse("referentiel:item_edit", args=[draft.label, "competences", "C-1-02"])
    response = save_twice(claire, karim, url, {"level_3": "Niveau selon Claire"}, {"level_3": "Niveau selon Karim"})
    _assert_conflict(response, mine="Niveau selon Karim", theirs="Niveau selon Claire")
    competence = Competence.objects.get(version=draft, code="C-1-02")
    assert competence.levels.get(value=3).descriptor == "Niveau selon Claire"


def test_the_conflict_page_follows_a_renamed_code(claire, karim, draft):
    url = reverse("referentiel:item_edit", args=[draft.label, "missions", "M2"])
    mission = Mission.objects.get(version=draft, code="M2")
    # The page names the item, not only its code.
    assert select_one(claire.get(url), 'input[name="item"]').get("value") == str(mission.pk)
    response = save_twice(claire, karim, url, {"code": "M9"}, {"title": "Titre de Karim", "item": mission.pk})
    page = page_text(response)
    assert "Conflit de modification" in page
    assert select(response, f'form[action="{reverse("referentiel:item_edit", args=[draft.label, "missions", "M9"])}"]')
    assert Mission.objects.get(version=draft, code="M9").title == "Mission 2"


def test_two_curators_editing_the_same_scale_level(claire, karim, draft):
    url = reverse("referentiel:scale_edit", args=[draft.label, 2])
    response = save_twice(
        claire, karim, url, {"descriptor": "Applique seul·e (Claire)"}, {"descriptor": "Applique avec aide (Karim)"}
    )
    _assert_conflict(response, mine="Applique avec aide (Karim)", theirs="Applique seul·e (Claire)")
    assert ScaleLevel.objects.get(version=draft, value=2).descriptor == "Applique seul·e (Claire)"


def test_a_form_without_its_token_never_overwrites(claire, draft):
    url = reverse("referentiel:item_edit", args=[draft.label, "missions", "M1"])
    data = open_form(claire, url)
    del data["lock_version"]
    response = claire.post(url, data | {"title": "Sans jeton"})
    assert "Conflit de modification" in page_text(response)
    assert Mission.objects.get(version=draft, code="M1").title == "Mission 1"


def test_publishing_a_draft_changed_since_the_page_was_opened_is_refused(claire, karim, draft):
    url = reverse("referentiel:draft_publish", args=[draft.label])
    tab = open_form(claire, url) | {"summary": "Ce que Claire a relu", "confirm": "on"}
    edit = reverse("referentiel:item_edit", args=[draft.label, "missions", "M1"])
    assert karim.post(edit, open_form(karim, edit) | {"title": "Ajout de dernière minute"}).status_code == 302

    response = claire.post(url, tab)
    page = page_text(response)
    assert "Le brouillon a été modifié depuis que vous avez ouvert cette page" in page
    assert "Ce que Claire a relu" in page and "Ajout de dernière minute" in page  # summary kept, new diff shown
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkStatus.DRAFT
    response = claire.post(url, open_form(claire, url) | {"summary": "Relu de nouveau", "confirm": "on"})
    assert response.status_code == 302
    assert FrameworkVersion.objects.get(pk=draft.pk).status == FrameworkStatus.PUBLISHED


def test_publishing_a_draft_someone_just_published_keeps_the_summary(claire, karim, draft):
    url = reverse("referentiel:draft_publish", args=[draft.label])
    first = open_form(claire, url) | {"summary": "Résumé de Claire", "confirm": "on"}
    second = open_form(karim, url) | {"summary": "Résumé de Karim", "confirm": "on"}
    assert claire.post(url, first).status_code == 302
    response = karim.post(url, second)
    page = page_text(response)
    assert response.status_code == 200
    assert "Cette version du référentiel est publiée" in page and "Résumé de Karim" in page
    assert FrameworkVersion.objects.get(pk=draft.pk).summary == "Résumé de Claire"


# At most one draft, held by the database ------------------------------------------------------------


def test_the_database_refuses_a_second_draft(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.create(label="v3.0")  # a draft by default
    # Published or archived versions are not limited by it.
    FrameworkVersion.objects.create(label="v0.9", status=FrameworkStatus.ARCHIVED)


def test_a_second_draft_is_refused_in_french_even_past_the_check(curator, draft, monkeypatch):
    # The race: the check saw no draft, then another curator's draft landed before the insert.
    monkeypatch.setattr(services, "_check_new_label", lambda label: None)
    with pytest.raises(services.FrameworkError, match="Un brouillon est déjà en cours"):
        services.draft_create_from(source=FrameworkVersion.objects.current(), label="v3.0", actor=curator)
    assert list(FrameworkVersion.objects.drafts().values_list("label", flat=True)) == ["v2.0"]


def test_the_manage_page_says_so_instead_of_failing(claire, draft, monkeypatch):
    monkeypatch.setattr(services, "_check_new_label", lambda label: None)
    response = claire.post(reverse("referentiel:manage"), {"label": "v3.0"})
    assert response.status_code == 200
    assert "Un brouillon est déjà en cours" in page_text(response)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_curators_starting_a_draft_at_once_make_one():
    published = build_version(small_data("v1.0"))
    curators = [UserFactory(curator=True), UserFactory(curator=True)]
    barrier = threading.Barrier(2)
    results = [None, None]

    def start(index):
        try:
            barrier.wait()
            results[index] = services.draft_create_from(
                source=published, label=f"v{index + 2}.0", actor=curators[index]
            )
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    drafts = [r for r in results if isinstance(r, FrameworkVersion)]
    refused = [r for r in results if isinstance(r, services.FrameworkError)]
    assert len(drafts) == 1 and len(refused) == 1, results
    assert "Un brouillon est déjà en cours" in refused[0].messages[0]
    assert FrameworkVersion.objects.drafts().count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_saves_of_the_same_item_at_once_one_wins_the_other_gets_a_conflict():
    build_version(small_data("v1.0"))
    draft = build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    token = Mission.objects.get(version=draft, code="M1").lock_version
    curators = [UserFactory(curator=True), UserFactory(curator=True)]
    barrier = threading.Barrier(2)
    results = [None, None]

    def save(index):
        try:
            item = Mission.objects.get(version=draft, code="M1")
            item.title = f"Intitulé {index}"
            barrier.wait()
            results[index] = services.item_save(item=item, actor=curators[index], lock_version=token)
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    winners = [r for r in results if isinstance(r, Mission)]
    conflicts = [r for r in results if isinstance(r, EditConflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    stored = Mission.objects.get(version=draft, code="M1")
    assert stored.title == winners[0].title and stored.lock_version == token + 1
    assert conflicts[0].current.title == winners[0].title  # the loser is shown the winner's text


# A member's own self-assessment open in two tabs ------------------------------------------------------


def test_a_self_assessment_saved_in_two_tabs(member_client, member):
    build_version()
    url = reverse("referentiel:self_assessment")
    response = save_twice(
        member_client,
        member_client,
        url,
        {"level-C-1-02": "3", "evidence-C-1-02": "Preuve de l'onglet 1"},
        {"level-C-1-02": "1", "evidence-C-1-02": "Preuve de l'onglet 2"},
    )
    page = page_text(response)
    assert response.status_code == 200 and "Conflit de modification" in page
    assert "Preuve de l'onglet 1" in page and "Preuve de l'onglet 2" in page
    assert "Exemple ou preuve pour C-1-02" in page
    rating = SelfAssessment.objects.get(user=member, code="C-1-02")
    assert (rating.level, rating.evidence) == (3, "Preuve de l'onglet 1")
    form = response.context["form"]
    assert form["evidence-C-1-02"].value() == "Preuve de l'onglet 2"
    assert member_client.post(url, open_form(member_client, url) | {"level-C-1-02": "2"}).status_code == 302
