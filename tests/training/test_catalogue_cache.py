"""The catalogue's content kept between two changes (training.views.catalogue): the kept rendering is the one a
fresh request makes, each change shows on the next request, and the team's rendering never reaches the others."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Region
from tests.html import main_text, select, text_of
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_training
from training import services
from training.enums import TrainingStatus
from training.models import TrainingSession

pytestmark = pytest.mark.django_db

URL = "/parcours/formations/"


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


def titles(response) -> list[str]:
    return [text_of(link) for link in select(response, "#catalogue-results h3 a")]


def main_of(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_kept_catalogue_is_the_fresh_one_and_costs_fewer_queries(member, version):
    make_training(title="Animer", codes=["C-1-01"], sessions=2)
    make_training(title="Budgéter", codes=["C-1-02"])
    client = client_for(member)
    with CaptureQueriesContext(connection) as first:
        computed = client.get(URL, {"tri": "prochaine-session"})
    with CaptureQueriesContext(connection) as second:
        kept = client.get(URL, {"tri": "prochaine-session"})
    assert computed.status_code == kept.status_code == 200
    assert main_of(kept) == main_of(computed)
    assert titles(kept) == ["Animer", "Budgéter"]
    assert len(second) < len(first) - 4
    cache.clear()
    assert main_of(client.get(URL, {"tri": "prochaine-session"})) == main_of(kept)


def test_the_kept_results_fragment_is_the_fresh_one(member, version):
    make_training(title="Animer", codes=["C-1-01"])
    make_training(title="Autre", codes=["C-1-02"])
    client = client_for(member)
    computed = client.get(URL, {"competence": "C-1-01"}, headers={"HX-Request": "true"})
    kept = client.get(URL, {"competence": "C-1-01"}, headers={"HX-Request": "true"})
    assert kept.content == computed.content
    assert kept.content.decode().lstrip().startswith('<section id="catalogue-results"')
    assert "HX-Request" in kept["Vary"]
    # The whole page of the same query is kept apart from the fragment.
    page = client.get(URL, {"competence": "C-1-01"})
    assert "<h1" in page.content.decode() and titles(page) == ["Animer"]


def test_the_teams_rendering_never_reaches_members(member, curator, version):
    make_training(title="Publiée", codes=["C-1-01"])
    make_training(title="Brouillon", codes=["C-1-01"], status=TrainingStatus.DRAFT)
    team = client_for(curator)
    for _ in range(2):
        assert "Ajouter une formation" in main_text(team.get(URL))
        assert titles(team.get(URL, {"etat": "toutes"})) == ["Brouillon", "Publiée"]
    for client in (client_for(member), client_for(None)):
        for params in ({}, {"etat": "toutes"}):
            response = client.get(URL, params)
            assert titles(response) == ["Publiée"]
            assert "Ajouter une formation" not in main_text(response)
            assert not select(response, "#filter-etat")


def test_each_change_shows_on_the_next_request(member, other_member, curator, version):
    training = make_training(title="Animer", codes=["C-1-01"], sessions=0)
    client = client_for(member)
    assert "Pas de session annoncée" in main_text(client.get(URL))

    # A new training.
    make_training(title="Budgéter", codes=["C-1-02"])
    assert titles(client.get(URL)) == ["Animer", "Budgéter"]

    # A session announced (its region named).
    brittany = Region.objects.get(code="53")
    start = timezone.localdate() + timedelta(days=40)
    services.session_save(
        training_id=training.pk, actor=curator, values={"starts_on": start, "ends_on": start, "place": "Rennes"}
    )
    text = main_text(client.get(URL))
    assert "Rennes" in text
    session = TrainingSession.objects.get(training=training)
    session.region = brittany
    session.save()
    assert titles(client.get(URL, {"region": "53"})) == ["Animer"]

    # A region renamed: the filter shows its new name.
    brittany.name = "Bretagne armoricaine"
    brittany.save()
    assert "Bretagne armoricaine" in main_text(client.get(URL))

    # A member says they followed it: the count on the card.
    services.completion_save(training_id=training.pk, user=other_member, completed_on=timezone.localdate())
    assert "suivie par 1 membre" in main_text(client.get(URL))

    # The team edits it, then archives it.
    training.refresh_from_db()
    training.title = "Animer une réunion"
    training.save()
    assert titles(client.get(URL)) == ["Animer une réunion", "Budgéter"]
    services.training_archive(training_id=training.pk, actor=curator)
    assert titles(client.get(URL)) == ["Budgéter"]


def test_a_new_day_renders_the_upcoming_sessions_again(member, version, monkeypatch):
    make_training(title="Animer", codes=["C-1-01"], sessions=1)
    client = client_for(member)
    session = TrainingSession.objects.get()
    assert "Prochaine session" in main_text(client.get(URL))
    day_after = session.starts_on + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)
    assert "Pas de session annoncée" in main_text(client.get(URL))


def test_the_kept_catalogue_reads_a_constant_number_of_queries(member, version):
    client = client_for(member)

    def kept_queries() -> int:
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    make_training(title="Une", codes=["C-1-01"])
    one = kept_queries()
    for index in range(15):
        make_training(title=f"Formation {index:02d}", codes=["C-1-01", "C-1-02"], sessions=2)
    assert kept_queries() == one
