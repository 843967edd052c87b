"""The works library: writing works through the HTTP layer and the services, the work page, moderation."""

import datetime

import pytest
from django.urls import reverse

from core.concurrency import EditConflict
from showcase import works
from showcase.enums import FollowUpAnswer, LinkKind, Uptake, WorkStatus
from showcase.models import CouncilPage, Work
from tests.members.factories import UserFactory
from tests.showcase.factories import CouncilPageFactory, ThemeFactory, WorkFactory
from tests.showcase.works_helpers import published_work, technician_of, work_data

pytestmark = pytest.mark.django_db


def test_technician_creates_a_draft_then_publishes(client):
    page = CouncilPageFactory()
    technician = technician_of(page)
    theme = ThemeFactory(name="Mobilité", slug="mobilite")
    client.force_login(technician)
    response = client.get(reverse("showcase:work_create"))
    assert response.status_code == 200
    response = client.post(
        reverse("showcase:work_create"),
        {
            "page": page.pk,
            "kind": "avis",
            "title": "Avis sur les navettes rurales",
            "issued_on": "2025-04-02",
            "summary": "Des navettes à la demande pour les bourgs.",
            "licence": "cc-by-4.0",
            "themes": [theme.pk],
        },
    )
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.status == WorkStatus.DRAFT
    assert work.slug == "avis-sur-les-navettes-rurales"
    assert work.region_id == page.region_id
    assert "navettes" in work.search_text and "mobilite" in work.search_text
    # A draft: a 404 for the public, open to its technician.
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 404
    client.force_login(technician)
    assert client.get(work.get_absolute_url()).status_code == 200
    client.post(reverse("showcase:work_publish", args=[work.pk]))
    work.refresh_from_db()
    page.refresh_from_db()
    assert work.status == WorkStatus.PUBLISHED and work.published_at
    assert page.work_count == 1
    client.logout()
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert "Citer ce travail" in response.content.decode()


def test_form_refuses_bad_input_and_keeps_it(client):
    page = CouncilPageFactory()
    client.force_login(technician_of(page))
    response = client.post(
        reverse("showcase:work_create"),
        {
            "page": page.pk,
            "kind": "inconnu",
            "title": "Titre gardé",
            "issued_on": "pas une date",
            "summary": "x" * 2001,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Titre gardé" in body
    assert not Work.objects.exists()


def test_member_of_another_council_may_not_edit(client):
    work = published_work()
    other = technician_of(CouncilPageFactory())
    client.force_login(other)
    assert client.get(reverse("showcase:work_edit", args=[work.pk])).status_code == 403
    assert client.post(reverse("showcase:work_unpublish", args=[work.pk])).status_code == 403
    # A member without a council page: nothing to add.
    client.force_login(UserFactory())
    assert client.get(reverse("showcase:work_create")).status_code == 403


def test_wrong_slug_redirects_permanently_and_the_number_alone_too(client):
    work = published_work()
    response = client.get(reverse("showcase:work", args=[work.pk, "ancien-titre"]))
    assert response.status_code == 301
    assert response["Location"] == work.get_absolute_url()
    response = client.get(reverse("showcase:work_short", args=[work.pk]))
    assert response.status_code == 301
    assert response["Location"] == work.get_absolute_url()


def test_edit_conflict_keeps_what_was_typed(client):
    work = published_work()
    technician = technician_of(work.page)
    client.force_login(technician)
    form = {
        "kind": "avis",
        "title": "Mon titre à moi",
        "issued_on": "2025-03-14",
        "summary": "Résumé modifié",
        "licence": "licence-ouverte-2.0",
        "lock_version": work.lock_version,
    }
    works.work_update(
        user=technician, work_id=work.pk, data=work_data(title="Titre de l'autre"), lock_version=work.lock_version
    )
    response = client.post(reverse("showcase:work_edit", args=[work.pk]), form)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Conflit de modification" in body and "Mon titre à moi" in body
    work.refresh_from_db()
    assert work.title == "Titre de l'autre"


def test_service_conflict():
    work = published_work()
    technician = technician_of(work.page)
    with pytest.raises(EditConflict):
        works.followup_update(
            user=technician, work_id=work.pk, data={"followup_answer": "en-attente"}, lock_version=work.lock_version - 1
        )


def test_followup_form_and_page(client):
    work = published_work()
    client.force_login(technician_of(work.page))
    response = client.post(
        reverse("showcase:work_followup", args=[work.pk]),
        {
            "followup_answer": FollowUpAnswer.ANSWERED,
            "followup_by": "Le conseil communautaire",
            "followup_on": "2025-05-20",
            "followup_uptake": Uptake.PARTLY,
            "followup_note": "Deux navettes sur trois retenues au budget.",
            "lock_version": work.lock_version,
        },
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.followup_uptake == Uptake.PARTLY and work.followup_updated_at
    assert "navettes sur trois" in work.search_text or "retenues" in work.search_text
    client.logout()
    body = client.get(work.get_absolute_url()).content.decode()
    assert "Le conseil communautaire" in body and "Pris en compte en partie" in body


def test_followup_rules():
    work = published_work()
    technician = technician_of(work.page)
    with pytest.raises(works.WorkError):  # uptake without an answer
        works.followup_update(
            user=technician,
            work_id=work.pk,
            data={"followup_answer": FollowUpAnswer.WAITING, "followup_uptake": Uptake.FULLY},
            lock_version=None,
        )
    with pytest.raises(works.WorkError):  # an answer before the work
        works.followup_update(
            user=technician,
            work_id=work.pk,
            data={"followup_answer": FollowUpAnswer.ANSWERED, "followup_on": datetime.date(2020, 1, 1)},
            lock_version=None,
        )


def test_team_hides_with_a_reason_and_restores(client, curator):
    work = published_work()
    client.force_login(curator)
    response = client.post(reverse("showcase:work_moderate", args=[work.pk]), {"reason": ""})
    work.refresh_from_db()
    assert work.status == WorkStatus.PUBLISHED
    client.post(reverse("showcase:work_moderate", args=[work.pk]), {"reason": "Document d'un autre conseil"})
    work.refresh_from_db()
    assert work.status == WorkStatus.HIDDEN and work.hidden_by == curator
    work.page.refresh_from_db()
    assert work.page.work_count == 0
    from fiches.models import Notification

    assert Notification.objects.filter(recipient=work.created_by, message__contains="Document d'un autre").exists()
    client.logout()
    assert client.get(work.get_absolute_url()).status_code == 404
    client.force_login(curator)
    client.post(reverse("showcase:work_moderate", args=[work.pk]), {"action": "retablir"})
    work.refresh_from_db()
    assert work.status == WorkStatus.PUBLISHED
    # A technician may neither hide nor restore, nor publish a hidden work.
    technician = technician_of(work.page)
    client.force_login(technician)
    response = client.post(reverse("showcase:work_moderate", args=[work.pk]), {"reason": "non"})
    assert response.status_code == 403


def test_hidden_work_cannot_be_republished_by_its_technician(curator):
    work = published_work()
    works.work_hide(user=curator, work_id=work.pk, reason="Hors sujet")
    with pytest.raises(works.WorkError):
        works.work_publish(user=work.created_by, work_id=work.pk)


def test_unpublished_page_hides_its_works(client):
    work = published_work()
    CouncilPage.objects.filter(pk=work.page_id).update(status="brouillon")
    assert client.get(work.get_absolute_url()).status_code == 404
    assert work.title not in client.get(reverse("showcase:works")).content.decode()


def test_links_show_with_referentiel_titles(client):
    work = published_work()
    works.work_update(
        user=work.created_by,
        work_id=work.pk,
        data=work_data(),
        links=[works.LinkData(LinkKind.ACTIVITY, "A-9-99", "Activité disparue")],
        lock_version=None,
    )
    body = client.get(work.get_absolute_url()).content.decode()
    assert "A-9-99" in body and "Activité disparue" in body


def test_manage_lists_own_council_works_only(client):
    mine = published_work(title="Avis de mon conseil")
    WorkFactory(title="Avis d'un autre conseil")
    client.force_login(mine.created_by)
    body = client.get(reverse("showcase:works_manage")).content.decode()
    assert "Avis de mon conseil" in body and "Avis d&#x27;un autre conseil" not in body


def test_reserved_slug():
    work = published_work(title="Modifier")
    assert work.slug == "modifier-travail"


def test_work_page_and_manage_list_query_counts_are_constant(client, django_assert_max_num_queries):
    work = published_work(themes=[ThemeFactory(name="Budget", slug="budget")])
    with django_assert_max_num_queries(15) as few:
        client.get(work.get_absolute_url())
    works.work_update(
        user=work.created_by,
        work_id=work.pk,
        data=work_data(),
        themes=[ThemeFactory(name=f"Thème {index}", slug=f"theme-{index}") for index in range(5)],
        links=[works.LinkData(LinkKind.ACTIVITY, f"A-{index}", "Activité") for index in range(5)],
        lock_version=None,
    )
    with django_assert_max_num_queries(len(few.captured_queries) + 2):  # the links and the référentiel's version
        client.get(work.get_absolute_url())

    client.force_login(work.created_by)
    manage = reverse("showcase:works_manage")
    with django_assert_max_num_queries(20) as few:
        client.get(manage)
    for index in range(5):
        published_work(page=work.page, user=work.created_by, title=f"Avis {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(manage)


def test_team_queue_lists_recent_and_hidden_works(client, curator):
    recent = published_work(title="Avis tout juste publié")
    hidden = published_work(title="Avis masqué par l'équipe")
    works.work_hide(user=curator, work_id=hidden.pk, reason="Document illisible")
    client.force_login(curator)
    body = client.get(reverse("showcase:team")).content.decode()
    assert recent.title in body and "Document illisible" in body
