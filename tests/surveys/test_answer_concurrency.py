"""Sending under concurrency, on PostgreSQL (real row locks): many requests sending the same member's answers
make one response; many members sending at once make one response each."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from surveys.enums import ParticipationStatus
from surveys.models import Participation, Response
from tests.members.factories import ProfileFactory
from tests.surveys.factories import make_campaign

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PAGES = [
    {"q-ia": "non", "q-temps-animer": "70", "q-temps-valoriser": "30", "action": "next"},
    {"q-satisfaction": "3", "q-outil": "Agenda partagé", "action": "review"},
]


def _fill(client, campaign) -> None:
    for number, page in enumerate(PAGES, start=1):
        url = reverse("surveys:answer_section", kwargs={"pk": campaign.pk, "number": number})
        assert client.post(url, page).status_code == 302


def _together(targets) -> list:
    """Run the callables at the same moment, each in its own thread (and database connection)."""
    barrier = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as error:  # noqa: BLE001 — reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.parametrize("anonymous", [True, False])
def test_many_tabs_sending_one_members_answers_make_one_response(anonymous):
    campaign = make_campaign(anonymous=anonymous)
    user = ProfileFactory().user
    clients = []
    for _index in range(8):
        client = Client()
        client.force_login(user)
        clients.append(client)
    _fill(clients[0], campaign)
    review = reverse("surveys:answer_review", kwargs={"pk": campaign.pk})
    statuses = _together([lambda client=client: client.post(review).status_code for client in clients])
    assert statuses == [302] * len(clients)
    assert Response.objects.filter(campaign=campaign).count() == 1
    participation = Participation.objects.get(campaign=campaign, user=user)
    assert participation.status == ParticipationStatus.SUBMITTED and participation.draft == {}


def test_the_first_draft_saved_from_two_tabs_at_once_makes_one_participation():
    campaign = make_campaign()
    user = ProfileFactory().user
    clients = []
    for _index in range(6):
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = reverse("surveys:answer_section", kwargs={"pk": campaign.pk, "number": 1})
    statuses = _together([lambda client=client: client.post(url, PAGES[0]).status_code for client in clients])
    assert statuses == [302] * len(clients)
    assert Participation.objects.filter(campaign=campaign, user=user).count() == 1


def test_many_members_sending_at_once_make_one_response_each():
    campaign = make_campaign()
    clients = []
    for _index in range(12):
        client = Client()
        client.force_login(ProfileFactory().user)
        _fill(client, campaign)
        clients.append(client)
    review = reverse("surveys:answer_review", kwargs={"pk": campaign.pk})
    statuses = _together([lambda client=client: client.post(review).status_code for client in clients])
    assert statuses == [302] * len(clients)
    assert Response.objects.filter(campaign=campaign).count() == len(clients)
    assert Participation.objects.filter(campaign=campaign, status=ParticipationStatus.SUBMITTED).count() == len(clients)
