"""Peer mentoring: who can help (visibility rules), offers, requests and their lifecycle, contact on acceptance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competences.models import AssessmentSharing, SelfAssessment
from core.models import AuditEntry
from fiches.models import Notification
from fiches.selectors import ExpectedLevels
from members.enums import Visibility
from tests.html import main_text
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_mentor
from training import mentoring
from training.enums import RequestStatus
from training.mentoring import MentoringError, peers_who_can_help, request_accept, request_create
from training.models import MentoringRequest, MentorOffer

pytestmark = pytest.mark.django_db

CODE = "C-1-01"
OTHER_CODE = "C-2-02"


@pytest.fixture(autouse=True)
def version(request):
    # The demo's test seeds the demo référentiel instead.
    if "demo" in request.node.name:
        return None
    return build_version(small_data("v1.0"))


def person(*, pending=False, name=None, **profile):
    user = UserFactory(pending=pending)
    ProfileFactory(user=user, display_name=name or user.get_full_name(), **profile)
    return user


def rated(user, code=CODE, level=3, *, shared=True, version=None):
    from competences.models import FrameworkVersion

    SelfAssessment.objects.update_or_create(
        user=user, code=code, defaults={"level": level, "version": version or FrameworkVersion.objects.current()}
    )
    AssessmentSharing.objects.update_or_create(user=user, defaults={"in_directory": shared})
    return user


@pytest.fixture
def viewer():
    return person(name="Valérie Viewer")


def ids(peers):
    return [peer.user_id for peer in peers]


# --- peers_who_can_help -------------------------------------------------------------------------------------


def test_an_offer_makes_a_member_appear_first(viewer):
    offering = person(name="Olivier Offre")
    make_mentor(offering, CODE)
    high = rated(person(name="Hélène Haut"))
    result = peers_who_can_help(codes=[CODE, OTHER_CODE], viewer=viewer)
    assert ids(result[CODE]) == [offering.pk, high.pk]
    assert result[CODE][0].offers_help and not result[CODE][1].offers_help
    assert result[OTHER_CODE] == []
    assert result[CODE][0].url == reverse("members:detail", args=[offering.pk])
    assert result[CODE][0].display_name == "Olivier Offre"


def test_a_high_rating_without_consent_never_appears(viewer):
    rated(person(), shared=False)
    assert peers_who_can_help(codes=[CODE], viewer=viewer) == {CODE: []}


def test_a_rating_below_the_proficient_level_does_not_appear(viewer):
    rated(person(), level=2)
    assert peers_who_can_help(codes=[CODE], viewer=viewer)[CODE] == []


def test_the_expected_level_replaces_the_proficient_one(viewer, monkeypatch):
    level_two = rated(person(), level=2)
    monkeypatch.setattr(mentoring, "expected_levels", lambda: ExpectedLevels("v1", {CODE: 2}))
    assert ids(peers_who_can_help(codes=[CODE], viewer=viewer)[CODE]) == [level_two.pk]
    monkeypatch.setattr(mentoring, "expected_levels", lambda: ExpectedLevels("v1", {CODE: 4}))
    assert peers_who_can_help(codes=[CODE], viewer=viewer)[CODE] == []


def test_pending_unapproved_and_self_never_appear(viewer):
    pending = person(pending=True)
    make_mentor(pending, CODE)
    rated(pending)
    inactive = person()
    make_mentor(inactive, CODE)
    inactive.is_active = False
    inactive.save()
    make_mentor(viewer, CODE)
    rated(viewer, level=4)
    assert peers_who_can_help(codes=[CODE], viewer=viewer)[CODE] == []


def test_a_rating_follows_the_post_visibility_and_the_openness(viewer):
    hidden_post = rated(person(post_visibility=Visibility.TEAM))
    closed = rated(person(open_to_exchange=False))
    assert peers_who_can_help(codes=[CODE], viewer=viewer)[CODE] == []
    team = person()
    team.role = "curator"
    team.save()
    assert ids(peers_who_can_help(codes=[CODE], viewer=team)[CODE]) == [hidden_post.pk]
    # Declaring an offer is their own choice to be listed, whatever the post's visibility.
    make_mentor(closed, CODE)
    assert ids(peers_who_can_help(codes=[CODE], viewer=viewer)[CODE]) == [closed.pk]


def test_a_peer_is_shown_through_the_visibility_rules(viewer):
    offering = person(about_visibility=Visibility.HIDDEN, help_topics="La concertation")
    make_mentor(offering, CODE)
    [peer] = peers_who_can_help(codes=[CODE], viewer=viewer)[CODE]
    assert peer.council is not None
    assert peer.profile.help_topics is None
    assert peer.profile.email is None


def test_no_peer_for_an_anonymous_or_pending_viewer():
    make_mentor(person(), CODE)
    assert peers_who_can_help(codes=[CODE], viewer=UserFactory(pending=True)) == {CODE: []}


def test_the_limit_per_code(viewer):
    for _index in range(7):
        make_mentor(person(), CODE)
    assert len(peers_who_can_help(codes=[CODE], viewer=viewer)[CODE]) == 5
    assert len(peers_who_can_help(codes=[CODE], viewer=viewer, limit_per_code=10)[CODE]) == 7


def test_constant_queries_whatever_the_number_of_codes(viewer):
    def count(codes):
        with CaptureQueriesContext(connection) as queries:
            peers_who_can_help(codes=codes, viewer=viewer)
        return len(queries)

    make_mentor(person(), CODE)
    rated(person())
    small = count([CODE])
    codes = [f"C-{d}-{c:02d}" for d in (1, 2) for c in (1, 2, 3)]
    for code in codes:
        make_mentor(person(), code)
        rated(person(), code=code, level=4)
    assert count(codes) == small


# --- Offers -------------------------------------------------------------------------------------------------


def test_the_offers_page_proposes_the_highly_rated_competences(client, viewer):
    rated(viewer, level=3)
    client.force_login(viewer)
    response = client.get(reverse("training:mentor_offers"))
    assert response.status_code == 200
    text = main_text(response)
    assert "Qui voit que vous proposez votre aide" in text
    assert "jamais montrées avant que vous acceptiez" in text
    html = response.content.decode()
    suggested = html.split("Proposées d'après votre auto-évaluation")[1].split("Autres compétences")[0]
    assert f'value="{CODE}"' in suggested
    assert f'value="{OTHER_CODE}"' not in suggested


def test_a_member_offers_help_then_stops(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("training:mentor_offers"), {"codes": [CODE, OTHER_CODE]})
    assert response.status_code == 302
    assert set(MentorOffer.objects.filter(user=viewer).values_list("code", flat=True)) == {CODE, OTHER_CODE}
    assert AuditEntry.objects.filter(action="training.mentoring.offers_changed").count() == 1
    client.post(reverse("training:mentor_offers"), {"codes": [CODE]})
    assert list(MentorOffer.objects.filter(user=viewer).values_list("code", flat=True)) == [CODE]
    client.post(reverse("training:mentor_offers"), {"arreter": "1"})
    assert not MentorOffer.objects.filter(user=viewer).exists()
    assert AuditEntry.objects.filter(action="training.mentoring.offers_stopped").exists()


def test_an_unknown_code_is_refused(client, viewer):
    client.force_login(viewer)
    response = client.post(reverse("training:mentor_offers"), {"codes": ["X-9-99"]})
    assert response.status_code == 200
    assert "n'est pas un choix valide" in main_text(response) or "Sélectionnez un choix valide" in main_text(response)
    assert not MentorOffer.objects.exists()


# --- Finding help -------------------------------------------------------------------------------------------


def test_the_mentors_page_lists_the_peers_with_a_request_form(client, viewer):
    offering = person(name="Olivier Offre")
    make_mentor(offering, CODE)
    client.force_login(viewer)
    response = client.get(reverse("training:mentors"), {"competence": CODE})
    assert response.status_code == 200
    text = main_text(response)
    assert "Olivier Offre" in text
    assert "Demander un accompagnement" in text
    assert offering.email not in response.content.decode()


def test_an_unknown_competence_says_so(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("training:mentors"), {"competence": "<script>"})
    assert response.status_code == 200
    assert "Choisissez une compétence de la liste." in main_text(response)


def test_the_mentors_page_keeps_its_queries_with_more_peers(client, viewer):
    client.force_login(viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("training:mentors"), {"competence": CODE})
        assert response.status_code == 200
        return len(queries)

    make_mentor(person(), CODE)
    few = count()
    for _index in range(12):
        make_mentor(person(), CODE)
        rated(person())
    assert count() == few


# --- Requests -----------------------------------------------------------------------------------------------


@pytest.fixture
def mentor():
    user = person(name="Marie Mentor")
    make_mentor(user, CODE)
    return user


def ask(client, mentor, message="Bonjour, pouvez-vous m'aider à préparer une concertation ?", code=CODE):
    return client.post(reverse("training:request_create", args=[mentor.pk]), {"code": code, "message": message})


def test_the_request_lifecycle_and_the_contact_shown_only_once_accepted(client, viewer, mentor):
    client.force_login(viewer)
    response = ask(client, mentor)
    req = MentoringRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training:request_detail", args=[req.pk])
    assert req.status == RequestStatus.PENDING
    assert Notification.objects.filter(recipient=mentor, url=reverse("training:request_detail", args=[req.pk])).exists()
    page = client.get(reverse("training:request_detail", args=[req.pk])).content.decode()
    assert mentor.email not in page
    assert "Retirer ma demande" in page

    client.force_login(mentor)
    page = client.get(reverse("training:request_detail", args=[req.pk])).content.decode()
    assert viewer.email not in page
    received = main_text(client.get(reverse("training:requests")))
    assert "Valérie Viewer" in received
    response = client.post(reverse("training:request_accept", args=[req.pk]), {"response": "Avec plaisir !"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.ACCEPTED and req.decided_at is not None
    assert Notification.objects.filter(recipient=viewer).exists()
    page = client.get(reverse("training:request_detail", args=[req.pk])).content.decode()
    assert f'href="mailto:{viewer.email}"' in page

    client.force_login(viewer)
    page = client.get(reverse("training:request_detail", args=[req.pk])).content.decode()
    assert f'href="mailto:{mentor.email}"' in page
    assert "Avec plaisir !" in page
    # The e-mail address appears nowhere else.
    assert mentor.email not in client.get(reverse("training:requests")).content.decode()
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "training.mentoring.requested",
        "training.mentoring.accepted",
    }


def test_a_declined_request_shares_no_contact(client, viewer, mentor):
    req = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    client.force_login(mentor)
    client.post(reverse("training:request_decline", args=[req.pk]), {"response": "Pas disponible ce trimestre."})
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED
    client.force_login(viewer)
    page = client.get(reverse("training:request_detail", args=[req.pk])).content.decode()
    assert mentor.email not in page
    assert "Pas disponible ce trimestre." in page


def test_the_requester_withdraws_then_may_ask_again(client, viewer, mentor):
    client.force_login(viewer)
    ask(client, mentor)
    req = MentoringRequest.objects.get()
    client.post(reverse("training:request_withdraw", args=[req.pk]))
    req.refresh_from_db()
    assert req.status == RequestStatus.WITHDRAWN
    assert ask(client, mentor).status_code == 302
    assert MentoringRequest.objects.count() == 2


def test_a_second_pending_request_is_refused_in_french(client, viewer, mentor):
    client.force_login(viewer)
    ask(client, mentor)
    response = ask(client, mentor, message="Deuxième essai")
    assert response.status_code == 400
    assert "déjà une demande en attente" in main_text(response)
    assert "Deuxième essai" in response.content.decode()
    assert MentoringRequest.objects.count() == 1


def test_the_mentors_page_says_a_request_is_pending(client, viewer, mentor):
    request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    client.force_login(viewer)
    text = main_text(client.get(reverse("training:mentors"), {"competence": CODE}))
    assert "déjà envoyé une demande" in text


@pytest.mark.parametrize("message", ["", "   ", "x" * 2001])
def test_a_bad_message_is_refused_and_kept(client, viewer, mentor, message):
    client.force_login(viewer)
    response = ask(client, mentor, message=message)
    assert response.status_code == 400
    assert not MentoringRequest.objects.exists()


def test_nobody_can_ask_themself_or_someone_who_cannot_help(client, viewer, mentor):
    client.force_login(mentor)
    assert ask(client, mentor).status_code == 404
    stranger = person()
    client.force_login(viewer)
    assert ask(client, stranger).status_code == 404
    assert ask(client, mentor, code="").status_code == 404
    with pytest.raises(MentoringError):
        request_create(requester=mentor, mentor=mentor, code=CODE, message="Moi")


def test_only_the_two_members_see_a_request_and_only_the_mentor_answers(client, viewer, mentor):
    req = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    client.force_login(person())
    assert client.get(reverse("training:request_detail", args=[req.pk])).status_code == 404
    assert client.post(reverse("training:request_accept", args=[req.pk])).status_code == 404
    client.force_login(viewer)
    assert client.post(reverse("training:request_accept", args=[req.pk])).status_code == 403
    client.force_login(mentor)
    assert client.post(reverse("training:request_withdraw", args=[req.pk])).status_code == 403
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_a_request_answered_twice_says_so(viewer, mentor):
    req = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    request_accept(request_obj=req, mentor=mentor)
    with pytest.raises(MentoringError, match="n'est plus en attente"):
        mentoring.request_decline(request_obj=req, mentor=mentor)


def test_a_too_long_answer_is_refused(client, viewer, mentor):
    req = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    client.force_login(mentor)
    response = client.post(reverse("training:request_accept", args=[req.pk]), {"response": "x" * 2001})
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


def test_the_requests_page_keeps_its_queries(client, viewer):
    client.force_login(viewer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("training:requests")).status_code == 200
        return len(queries)

    first = person()
    make_mentor(first, CODE)
    request_create(requester=viewer, mentor=first, code=CODE, message="Bonjour")
    request_create(requester=first, mentor=viewer, code=OTHER_CODE, message="Bonjour")
    few = count()
    for _index in range(5):
        other = person()
        make_mentor(other, CODE)
        request_create(requester=viewer, mentor=other, code=CODE, message="Bonjour")
        request_create(requester=other, mentor=viewer, code=OTHER_CODE, message="Bonjour")
    assert count() == few


def test_the_mentors_page_links_to_an_accepted_request_without_the_address(client, viewer, mentor):
    req = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    request_accept(request_obj=req, mentor=mentor)
    client.force_login(viewer)
    response = client.get(reverse("training:mentors"), {"competence": CODE})
    assert "Voir ses coordonnées" in main_text(response)
    assert mentor.email not in response.content.decode()


# --- Personal data ------------------------------------------------------------------------------------------


def test_the_personal_data_of_both_sides_and_the_erasure(viewer, mentor):
    from core.personal_data import personal_data_kinds

    kinds = {kind.key: kind for kind in personal_data_kinds()}
    request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour, mon message")
    [sent] = kinds["parcours-accompagnement-demandes"].export(viewer)
    [received] = kinds["parcours-accompagnement-demandes"].export(mentor)
    assert sent["direction"] == "envoyée" and received["direction"] == "reçue"
    assert sent["message"] == received["message"] == "Bonjour, mon message"
    assert sent["other_member"] == "Marie Mentor"
    assert mentor.email not in str(sent)
    assert kinds["parcours-accompagnement-propositions"].export(mentor) == [
        {"code": CODE, "created_at": MentorOffer.objects.get(user=mentor).created_at.isoformat()}
    ]
    kinds["parcours-accompagnement-demandes"].erase(mentor)
    kinds["parcours-accompagnement-propositions"].erase(mentor)
    assert not MentoringRequest.objects.exists()
    assert not MentorOffer.objects.exists()


# --- Demo ---------------------------------------------------------------------------------------------------


def test_the_demo_seeds_mentors_requests_and_steps_once():
    from members import demo as members_demo
    from members.models import User
    from referentiel import demo as referentiel_demo
    from training import demo
    from training.models import WelcomeStep

    members_demo.seed()
    referentiel_demo.seed()
    demo._seed_mentoring()
    counts = (WelcomeStep.objects.count(), MentorOffer.objects.count(), MentoringRequest.objects.count())
    demo._seed_mentoring()
    assert (WelcomeStep.objects.count(), MentorOffer.objects.count(), MentoringRequest.objects.count()) == counts
    assert 6 <= counts[0] <= 8
    member = User.objects.get(email=demo.DEMO_MEMBER)
    statuses = set(MentoringRequest.objects.involving(member).values_list("status", flat=True))
    assert {RequestStatus.ACCEPTED, RequestStatus.PENDING} <= statuses
    peers = peers_who_can_help(codes=["C-ANI-05", "C-VAL-03"], viewer=member)
    assert all(peers.values())
    assert any(peer.offers_help for peer in peers["C-ANI-05"])
    # Found by their shared self-assessment too: the demo rated them high and they opted in.
    assert any(not peer.offers_help for peer in peers["C-ANI-05"])


def test_the_request_form_page(client, viewer, mentor):
    client.force_login(viewer)
    url = reverse("training:request_create", args=[mentor.pk])
    response = client.get(url, {"competence": CODE})
    assert response.status_code == 200
    assert "Demander un accompagnement à Marie Mentor" in main_text(response)
    assert mentor.email not in response.content.decode()
    assert client.get(url).status_code == 404
    assert client.get(url, {"competence": OTHER_CODE}).status_code == 404


def test_the_limited_list_is_the_start_of_the_full_one(viewer):
    for _index in range(4):
        make_mentor(person(), CODE)
    for _index in range(6):
        rated(person(), level=4)
    everyone = mentoring.peers_for(code=CODE, viewer=viewer)
    assert len(everyone) == 10
    assert [(p.user_id, p.offers_help) for p in peers_who_can_help(codes=[CODE], viewer=viewer)[CODE]] == everyone[:5]
    assert len(peers_who_can_help(codes=[CODE], viewer=viewer, limit_per_code=3)[CODE]) == 3


# --- Audit sentences ----------------------------------------------------------------------------------------


def test_every_mentoring_action_reads_as_a_sentence_outside_the_team_journal(viewer, mentor):
    from core.audit_sentences import audit_sentence, team_entries

    client_request = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    mentoring.request_withdraw(request_obj=client_request, requester=viewer)
    again = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    mentoring.request_decline(request_obj=again, mentor=mentor)
    third = request_create(requester=viewer, mentor=mentor, code=CODE, message="Bonjour")
    request_accept(request_obj=third, mentor=mentor)
    mentoring.offers_set(user=viewer, codes=[CODE])
    mentoring.offers_stop(user=viewer)
    entries = AuditEntry.objects.filter(action__startswith="training.mentoring.")
    assert {entry.action.rsplit(".", 1)[1] for entry in entries} == {
        "requested",
        "withdrawn",
        "declined",
        "accepted",
        "offers_changed",
        "offers_stopped",
    }
    for entry in entries:
        sentence = audit_sentence(entry)
        assert sentence and entry.action not in sentence
    assert not team_entries().filter(action__startswith="training.mentoring.").exists()


def test_the_mentors_page_is_paginated(client, viewer):
    for _index in range(12):
        make_mentor(person(), CODE)
    client.force_login(viewer)
    first = client.get(reverse("training:mentors"), {"competence": CODE})
    assert "12 membres peuvent vous aider" in main_text(first)
    assert main_text(first).count("Propose son aide") == 10
    second = client.get(reverse("training:mentors"), {"competence": CODE, "page": 2})
    assert main_text(second).count("Propose son aide") == 2
    assert f"competence={CODE}&amp;page=1" in second.content.decode()
