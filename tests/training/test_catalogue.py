"""The catalogue of trainings through HTTP (visitor, member, CNCD team), its services and its query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.concurrency import EditConflict
from core.models import AuditEntry
from members.enums import Credit
from members.models import Region
from tests.html import main_text, select, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_training
from training import services
from training.enums import ProviderKind, TrainingFormat, TrainingStatus
from training.models import Training, TrainingCompletion, TrainingSession
from training.selectors import PAGE_SIZE

pytestmark = pytest.mark.django_db

URL = "/parcours/formations/"


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


def titles(response) -> list[str]:
    return [text_of(link) for link in select(response, "#catalogue-results h3 a")]


def today():
    return timezone.localdate()


# The landing page ----------------------------------------------------------------------------------


def test_the_landing_page_shows_each_role_what_it_may_open(client, member, curator):
    response = client.get("/parcours/")
    assert response.status_code == 200
    links = [text_of(link) for link in select(response, "#parcours-links h3 a")]
    assert links == ["Catalogue des formations"]  # the members' parts are described, without a link
    assert "Connectez-vous" in main_text(response)
    assert "Besoins" not in main_text(response)

    client.force_login(member)
    member_links = [text_of(link) for link in select(client.get("/parcours/"), "#parcours-links h3 a")]
    assert "Catalogue des formations" in member_links
    assert not any("Besoins" in link for link in member_links)

    client.force_login(curator)
    curator_links = [text_of(link) for link in select(client.get("/parcours/"), "#parcours-links h3 a")]
    assert len(curator_links) >= len(member_links)
    # Every link points to a page that exists.
    for link in select(client.get("/parcours/"), "#parcours-links h3 a"):
        assert client.get(link.get("href")).status_code == 200


# The list -------------------------------------------------------------------------------------------


def test_visitors_see_published_trainings_only(client, version):
    make_training(title="Publiée")
    make_training(title="En brouillon", status=TrainingStatus.DRAFT)
    make_training(title="Archivée", status=TrainingStatus.ARCHIVED)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Publiée"]
    # The state filter is the team's: ignored for anyone else.
    assert titles(client.get(URL, {"etat": "toutes"})) == ["Publiée"]


def test_members_do_not_see_drafts_either(client, member, version):
    make_training(title="Publiée")
    make_training(title="En brouillon", status=TrainingStatus.DRAFT)
    client.force_login(member)
    assert titles(client.get(URL, {"etat": "brouillon"})) == ["Publiée"]
    assert (
        client.get(reverse("training:detail", args=[Training.objects.get(title="En brouillon").pk])).status_code == 404
    )


def test_the_team_filters_on_the_state(client, curator, version):
    make_training(title="Publiée")
    make_training(title="En brouillon", status=TrainingStatus.DRAFT)
    make_training(title="Archivée", status=TrainingStatus.ARCHIVED)
    client.force_login(curator)
    assert titles(client.get(URL)) == ["Publiée"]
    assert titles(client.get(URL, {"etat": "brouillon"})) == ["En brouillon"]
    assert titles(client.get(URL, {"etat": "archivee"})) == ["Archivée"]
    assert titles(client.get(URL, {"etat": "toutes"})) == ["Archivée", "En brouillon", "Publiée"]
    assert "Brouillon" in main_text(client.get(URL, {"etat": "brouillon"}))


def test_filters_competence_mission_provider_format_region_upcoming(client, version):
    brittany = Region.objects.get(code="53")
    first = make_training(title="Animer", codes=["C-1-01"], sessions=0)
    TrainingSession.objects.create(training=first, starts_on=today() + timedelta(days=10), region=brittany)
    second = make_training(
        title="Communiquer",
        codes=["C-2-03"],
        provider_kind=ProviderKind.UNIVERSITY,
        format=TrainingFormat.REMOTE,
        sessions=0,
    )
    TrainingSession.objects.create(training=second, starts_on=today() - timedelta(days=10), region=brittany)
    make_training(title="Sans session", codes=["C-1-02"], sessions=0)

    assert titles(client.get(URL, {"competence": "C-1-01"})) == ["Animer"]
    assert titles(client.get(URL, {"competence": "C-2-03"})) == ["Communiquer"]
    # Mission M1's activities mobilise C-1-02, C-1-03 and C-2-01 (tests/referentiel/factories.small_data).
    assert titles(client.get(URL, {"mission": "M1"})) == ["Sans session"]
    assert titles(client.get(URL, {"organisme": "universite"})) == ["Communiquer"]
    assert titles(client.get(URL, {"format": "distance"})) == ["Communiquer"]
    assert titles(client.get(URL, {"region": "53"})) == ["Animer", "Communiquer"]
    assert titles(client.get(URL, {"region": "53", "a_venir": "1"})) == ["Animer"]
    assert titles(client.get(URL, {"a_venir": "1"})) == ["Animer"]
    # Unknown values are ignored rather than failing.
    assert len(titles(client.get(URL, {"format": "nimporte", "organisme": "<x>", "tri": "zzz"}))) == 3
    assert "Aucune formation ne correspond" in main_text(client.get(URL, {"competence": "C-9-99"}))


def test_search_ignores_case_and_accents(client, version):
    make_training(title="Démocratie participative", provider="Université Lyon 2")
    make_training(title="Animer à distance", summary="Classe virtuelle.")
    assert titles(client.get(URL, {"q": "democratie"})) == ["Démocratie participative"]
    assert titles(client.get(URL, {"q": "UNIVERSITE lyon"})) == ["Démocratie participative"]
    assert titles(client.get(URL, {"q": "virtuelle"})) == ["Animer à distance"]
    assert titles(client.get(URL, {"q": "rien de tel"})) == []


def test_sorts(client, version):
    later = make_training(title="A plus tard", sessions=0)
    TrainingSession.objects.create(training=later, starts_on=today() + timedelta(days=90))
    soon = make_training(title="B bientôt", sessions=0)
    TrainingSession.objects.create(training=soon, starts_on=today() + timedelta(days=3))
    make_training(title="C sans date", sessions=0)
    Training.objects.filter(pk=later.pk).update(completion_count=4)
    assert titles(client.get(URL)) == ["A plus tard", "B bientôt", "C sans date"]
    assert titles(client.get(URL, {"tri": "prochaine-session"})) == ["B bientôt", "A plus tard", "C sans date"]
    assert titles(client.get(URL, {"tri": "suivies"}))[0] == "A plus tard"
    assert titles(client.get(URL, {"tri": "recentes"}))[0] == "C sans date"


def test_pagination_keeps_the_filters(client, version):
    for index in range(PAGE_SIZE + 3):
        make_training(title=f"Formation {index:02d}", sessions=0)
    response = client.get(URL, {"competence": "C-1-01"})
    assert len(titles(response)) == PAGE_SIZE
    next_link = select(response, "nav .pagination a")[-1].get("href")
    assert "competence=C-1-01" in next_link
    assert len(titles(client.get(URL + next_link))) == 3


def test_the_card_shows_the_next_session_and_competence_codes(client, version):
    training = make_training(title="Animer", codes=["C-1-01", "C-OLD-9"], sessions=2)
    text = main_text(client.get(URL))
    first = training.sessions.order_by("starts_on").first()
    assert "Prochaine session" in text
    assert str(first.starts_on.year) in text
    assert "(et 1 autre)" in text
    assert "C-1-01" in text and "C-OLD-9" in text


def _queries(client, params, expect) -> int:
    client.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert len(titles(response)) == expect
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "animer", "competence": "C-1-01", "region": "53", "a_venir": "1", "tri": "prochaine-session"}],
    ids=["plain", "filtered"],
)
@pytest.mark.parametrize("role", ["anonymous", "member", "curator"])
def test_the_number_of_queries_does_not_grow_with_the_trainings(client, version, params, role):
    if role != "anonymous":
        client.force_login(UserFactory(curator=role == "curator"))
    brittany = Region.objects.get(code="53")

    def add(count):
        for index in range(count):
            training = make_training(title=f"Animer {index}", codes=["C-1-01", "C-1-02"], sessions=2)
            training.sessions.update(region=brittany)

    add(2)
    few = _queries(client, params, 2)
    add(PAGE_SIZE + 5)
    many = _queries(client, params, PAGE_SIZE)
    assert many == few


# A training's page --------------------------------------------------------------------------------


def test_the_page_shows_every_field_sessions_and_competences(client, version):
    training = make_training(
        title="Animer une concertation",
        codes=["C-1-01", "C-OLD-9"],
        sessions=0,
        description="**Programme** : trois jours.",
        cost_euros=450,
        cost_note="Prise en charge OPCO",
    )
    TrainingSession.objects.create(
        training=training,
        starts_on=today() + timedelta(days=20),
        place="Rennes",
        region=Region.objects.get(code="53"),
        registration_url="https://example.org/inscription",
    )
    TrainingSession.objects.create(training=training, starts_on=today() - timedelta(days=20), place="Lille")
    response = client.get(training.get_absolute_url())
    assert response.status_code == 200
    text = main_text(response)
    for expected in (
        "Animer une concertation",
        "CNFPT – INSET de Dunkerque",
        "Sur place",
        "14 heures",
        "450 €",
        "Prise en charge OPCO",
        "Programme",
        "Rennes",
        "Bretagne",
        "S'inscrire",
        "Compétence 1.1",
        "C-OLD-9",
        "n'existe plus dans le référentiel en vigueur",
    ):
        assert expected in text, expected
    assert "<strong>Programme</strong>" in response.content.decode()  # Markdown rendered, not escaped
    rows = select(response, "#sessions tbody tr")
    assert "Rennes" in text_of(rows[0]) and "Lille" in text_of(rows[1])
    assert "text-body-secondary" in rows[1].find("th").get("class")  # the past session is greyed
    # Visitors see neither reviews nor the "Je l'ai suivie" form.
    assert not select(response, "#reviews") and not select(response, "#followed")


def test_a_draft_is_hidden_from_visitors(client, version):
    training = make_training(status=TrainingStatus.DRAFT)
    assert client.get(training.get_absolute_url()).status_code == 404


# "Je l'ai suivie" ----------------------------------------------------------------------------------


def test_a_member_marks_a_training_followed_edits_and_removes_it(client, member, version):
    training = make_training()
    client.force_login(member)
    url = reverse("training:completion", args=[training.pk])
    response = client.post(url, {"completed_on": (today() - timedelta(days=3)).isoformat(), "review": "Très utile."})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.completion_count == 1
    page = client.get(training.get_absolute_url())
    assert "Vous avez indiqué l'avoir suivie" in main_text(page)
    assert "Très utile." in text_of(select(page, "#reviews")[0])

    # Edit: the form opens with what was saved.
    form_page = client.get(url)
    assert "Très utile." in main_text(form_page)
    client.post(url, {"completed_on": (today() - timedelta(days=5)).isoformat(), "review": ""})
    completion = TrainingCompletion.objects.get(user=member)
    assert completion.review == "" and completion.completed_on == today() - timedelta(days=5)
    assert TrainingCompletion.objects.count() == 1

    client.post(reverse("training:completion_delete", args=[training.pk]))
    training.refresh_from_db()
    assert training.completion_count == 0
    assert not TrainingCompletion.objects.exists()


def test_the_date_is_required_and_not_in_the_future_and_the_review_bounded(client, member, version):
    training = make_training()
    client.force_login(member)
    url = reverse("training:completion", args=[training.pk])
    response = client.post(url, {"completed_on": "", "review": "Texte gardé"})
    assert response.status_code == 200
    assert "Indiquez la date" in main_text(response)
    assert "Texte gardé" in main_text(response)
    response = client.post(url, {"completed_on": (today() + timedelta(days=1)).isoformat()})
    assert "ne peut pas être dans le futur" in main_text(response)
    response = client.post(url, {"completed_on": today().isoformat(), "review": "x" * 1001})
    assert "1000" in main_text(response).replace("\u202f", "").replace(" ", "")
    assert not TrainingCompletion.objects.exists()


def test_reviews_are_signed_as_each_member_chose(client, member, version):
    training = make_training()
    author = ProfileFactory(display_name="Maëlle Le Goff").user
    services.completion_save(
        training_id=training.pk, user=author, completed_on=today(), review="Une formation exigeante."
    )
    hidden = ProfileFactory(credit=Credit.HIDDEN).user
    services.completion_save(training_id=training.pk, user=hidden, completed_on=today(), review="Sans nom.")
    client.force_login(member)
    reviews = text_of(select(client.get(training.get_absolute_url()), "#reviews")[0])
    assert "Une formation exigeante." in reviews
    assert "Sans nom." in reviews
    assert "Un·e membre du réseau" in reviews
    training.refresh_from_db()
    assert training.completion_count == 2


def test_no_mark_on_a_draft_or_archived_training_but_an_existing_mark_stays_editable(client, member, version):
    training = make_training()
    services.completion_save(training_id=training.pk, user=member, completed_on=today(), review="")
    other = make_training(title="Autre", status=TrainingStatus.ARCHIVED)
    with pytest.raises(services.TrainingError):
        services.completion_save(training_id=other.pk, user=member, completed_on=today())
    Training.objects.filter(pk=training.pk).update(status=TrainingStatus.ARCHIVED)
    services.completion_save(training_id=training.pk, user=member, completed_on=today(), review="Encore utile")
    assert TrainingCompletion.objects.get().review == "Encore utile"


def test_pending_accounts_cannot_mark(client, pending_user, version):
    training = make_training()
    client.force_login(pending_user)
    client.post(reverse("training:completion", args=[training.pk]), {"completed_on": today().isoformat()})
    assert not TrainingCompletion.objects.exists()


# The CNCD team -------------------------------------------------------------------------------------


def _form_data(**changes):
    data = {
        "title": "Animer une réunion participative",
        "summary": "Deux jours de pratique.",
        "description": "",
        "provider_kind": "cnfpt",
        "provider": "CNFPT – INSET d'Angers",
        "format": "hybride",
        "duration_hours": "14",
        "cost_euros": "0",
        "cost_note": "",
        "url": "https://www.cnfpt.fr/",
        "codes": ["C-1-01", "C-2-02"],
    }
    data.update(changes)
    return data


def test_the_team_creates_adds_sessions_and_publishes(client, curator, version):
    client.force_login(curator)
    form = client.get(reverse("training:create"))
    assert form.status_code == 200
    assert "Domaine 1" in main_text(form)  # competences grouped by domain
    response = client.post(reverse("training:create"), _form_data())
    training = Training.objects.get()
    assert response.url == reverse("training:sessions", args=[training.pk])
    assert training.status == TrainingStatus.DRAFT and training.created_by == curator
    assert sorted(training.competences.values_list("code", flat=True)) == ["C-1-01", "C-2-02"]

    sessions_url = reverse("training:sessions", args=[training.pk])
    start = today() + timedelta(days=10)
    bad = client.post(
        sessions_url, {"starts_on": start.isoformat(), "ends_on": (start - timedelta(days=1)).isoformat()}
    )
    assert "La fin ne peut pas précéder le début" in main_text(bad)
    assert not training.sessions.exists()
    client.post(
        sessions_url,
        {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=1)).isoformat(), "place": "Angers",
         "region": Region.objects.get(code="52").pk},
    )  # fmt: skip
    session = training.sessions.get()
    edit_url = reverse("training:session_edit", args=[training.pk, session.pk])
    client.post(edit_url, {"starts_on": start.isoformat(), "place": "Nantes"})
    session.refresh_from_db()
    assert session.place == "Nantes" and session.ends_on is None

    client.post(reverse("training:publish", args=[training.pk]))
    training.refresh_from_db()
    assert training.status == TrainingStatus.PUBLISHED
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "training.training.created",
        "training.training.edited",
        "training.training.edited",
        "training.training.published",
    ]
    client.post(reverse("training:session_delete", args=[training.pk, session.pk]))
    assert not training.sessions.exists()


def test_the_form_keeps_what_was_typed_on_error(client, curator, version):
    client.force_login(curator)
    response = client.post(reverse("training:create"), _form_data(title="", cost_euros="-3", summary="Gardé"))
    assert response.status_code == 200
    text = main_text(response)
    assert "Gardé" in text
    assert "ne peut pas être négatif" in text
    assert not Training.objects.exists()


def test_an_edit_conflict_keeps_both_versions(client, curator, version):
    training = make_training(title="Avant")
    client.force_login(curator)
    url = reverse("training:edit", args=[training.pk])
    opened = training.lock_version
    services.training_update(
        training_id=training.pk, actor=curator, values={"title": "Modifiée ailleurs"}, codes=None, lock_version=opened
    )
    response = client.post(url, _form_data(title="Ma version", lock_version=opened))
    assert response.status_code == 200
    text = main_text(response)
    assert "Conflit de modification" in text and "Modifiée ailleurs" in text
    training.refresh_from_db()
    assert training.title == "Modifiée ailleurs"
    # Saving again from the conflict page is a deliberate choice, and goes through.
    token = select(response, "input[name=lock_version]")[0].get("value")
    client.post(url, _form_data(title="Ma version", lock_version=token))
    training.refresh_from_db()
    assert training.title == "Ma version"


def test_update_service_refuses_a_stale_version(curator, version):
    training = make_training()
    with pytest.raises(EditConflict):
        services.training_update(
            training_id=training.pk, actor=curator, values={"title": "X"}, codes=None, lock_version=99
        )


def test_codes_of_an_older_referentiel_stay_selectable(client, curator, version):
    training = make_training(codes=["C-1-01", "C-OLD-9"])
    client.force_login(curator)
    text = main_text(client.get(reverse("training:edit", args=[training.pk])))
    assert "C-OLD-9" in text and "absente du référentiel en vigueur" in text


def test_delete_is_refused_once_followed_archive_instead(client, curator, member, version):
    training = make_training()
    services.completion_save(training_id=training.pk, user=member, completed_on=today())
    client.force_login(curator)
    page = client.get(reverse("training:delete", args=[training.pk]))
    assert "Archivez-la plutôt" in main_text(page)
    client.post(reverse("training:delete", args=[training.pk]))
    assert Training.objects.filter(pk=training.pk).exists()
    client.post(reverse("training:archive", args=[training.pk]))
    training.refresh_from_db()
    assert training.status == TrainingStatus.ARCHIVED
    # The member who followed it still finds its page and their mark; other members no longer do.
    client.force_login(member)
    page = client.get(training.get_absolute_url())
    assert page.status_code == 200
    assert "Archivée" in main_text(page) and "Vous avez indiqué l'avoir suivie" in main_text(page)
    client.force_login(UserFactory())
    assert client.get(training.get_absolute_url()).status_code == 404


def test_delete_a_training_nobody_followed(client, curator, version):
    training = make_training(title="À supprimer")
    client.force_login(curator)
    response = client.post(reverse("training:delete", args=[training.pk]))
    assert response.url == reverse("training:catalogue")
    assert not Training.objects.exists()
    entry = AuditEntry.objects.get(action="training.training.deleted")
    assert entry.target_repr == "À supprimer"


def test_members_cannot_manage_the_catalogue(client, member, version):
    training = make_training()
    client.force_login(member)
    for name, args in (
        ("training:create", []),
        ("training:edit", [training.pk]),
        ("training:sessions", [training.pk]),
        ("training:delete", [training.pk]),
        ("training:import", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("training:publish", args=[training.pk])).status_code == 403
    assert client.post(reverse("training:archive", args=[training.pk])).status_code == 403
    with pytest.raises(services.TrainingError):
        services.training_create(actor=member, values={"title": "x"})


def test_the_team_journal_reads_the_catalogue_actions(curator, version):
    from core.audit_sentences import audit_sentence

    training = services.training_create(
        actor=curator, values={"title": "Formation", "summary": "Résumé", "provider": "CNFPT"}, codes=["C-1-01"]
    )
    services.session_save(training_id=training.pk, actor=curator, values={"starts_on": today()})
    services.training_publish(training_id=training.pk, actor=curator)
    sentences = [audit_sentence(entry) for entry in AuditEntry.objects.order_by("pk")]
    assert "a ajouté la formation « Formation »" in sentences[0]
    assert "a ajouté une session" in sentences[1]
    assert "a publié la formation « Formation »" in sentences[2]


def test_export_csv_follows_the_filters_and_the_viewer(client, curator, version):
    make_training(title="Publiée", codes=["C-1-01"])
    make_training(title="Autre", codes=["C-1-02"])
    make_training(title="Brouillon", status=TrainingStatus.DRAFT)
    response = client.get(reverse("training:export"), {"competence": "C-1-01"})
    content = response.content.decode("utf-8-sig")
    assert "Publiée" in content and "Autre" not in content
    client.force_login(curator)
    content = client.get(reverse("training:export"), {"etat": "toutes"}).content.decode("utf-8-sig")
    assert "Brouillon" in content


def test_personal_data_export_and_erasure_recount(member, version):
    from training.personal_data import _completions_erase, _completions_export

    training = make_training()
    services.completion_save(training_id=training.pk, user=member, completed_on=today(), review="Bien")
    rows = _completions_export(member)
    assert rows[0]["formation"] == training.title and rows[0]["avis"] == "Bien"
    _completions_erase(member)
    training.refresh_from_db()
    assert training.completion_count == 0


def test_the_demo_catalogue_is_realistic_and_idempotent():
    from referentiel.demo import COMPETENCES
    from training.demo import DEMO_DRAFT, DEMO_TRAININGS, _seed_catalogue

    _seed_catalogue()
    _seed_catalogue()
    assert Training.objects.published().count() == len(DEMO_TRAININGS) >= 12
    assert Training.objects.filter(status=TrainingStatus.DRAFT).count() == 1
    known = {code for code, *_rest in COMPETENCES}
    for item in [*DEMO_TRAININGS, DEMO_DRAFT]:
        assert set(item[9]) <= known, item[0]
    sessions = TrainingSession.objects.all()
    assert sessions.filter(starts_on__lt=today()).exists() and sessions.filter(starts_on__gt=today()).exists()
    assert sessions.values("region").distinct().count() >= 6
    assert set(Training.objects.values_list("provider_kind", flat=True)) == set(ProviderKind.values)


def test_home_blocks_next_sessions_for_members_and_drafts_for_the_team(client, member, curator, version):
    make_training(title="Animer bientôt", sessions=1)
    make_training(title="Brouillon à finir", status=TrainingStatus.DRAFT)
    client.force_login(member)
    news = select(client.get(reverse("my_space")), "#block-news-training-sessions")
    assert news and "Animer bientôt" in text_of(news[0])
    assert "Brouillon à finir" not in text_of(news[0])
    assert not select(client.get(reverse("my_space")), "#block-todo-training-drafts")
    client.force_login(curator)
    drafts = select(client.get(reverse("team_todo")), "#block-todo-training-drafts")
    assert drafts and "Brouillon à finir" in text_of(drafts[0])


def test_htmx_gets_only_the_results(client, version):
    make_training(title="Animer", codes=["C-1-01"])
    make_training(title="Autre", codes=["C-1-02"])
    response = client.get(URL, {"competence": "C-1-01"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="catalogue-results"')
    assert "<h1" not in content
    assert titles(response) == ["Animer"]
    assert "HX-Request" in response["Vary"]


def test_a_competence_of_an_older_referentiel_stays_chosen_in_the_filter(client, version):
    make_training(title="Ancienne", codes=["C-OLD-9"])
    response = client.get(URL, {"competence": "C-OLD-9"})
    assert titles(response) == ["Ancienne"]
    chosen = select(response, "#filter-competence option[selected]")
    assert chosen[0].get("value") == "C-OLD-9"
