"""Meetings through the pages: who creates and announces them, what the forms refuse, edit conflicts, who sees
what (members-only, drafts, the video link), cancellation, minutes and documents."""

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEntry
from fiches.models import Notification
from meetings import services
from meetings.enums import AttendanceMode, MeetingAudience, MeetingFormat, MeetingStatus, RegistrationStatus
from meetings.models import Material, Meeting, Registration
from members.models import Region
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory
from tests.toolbox.factories import make_resource

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def meeting_data(**overrides) -> dict:
    data = {
        "title": "Journée régionale des CoDev",
        "summary": "Une journée pour partager nos pratiques.",
        "description": "## Pourquoi\n\nPour **se rencontrer**.",
        "programme": "- 9 h : accueil",
        "starts_at": "2030-03-12T09:00",
        "ends_at": "2030-03-12T17:00",
        "time_zone": "Europe/Paris",
        "format": MeetingFormat.HYBRID,
        "place": "Maison des associations",
        "address": "1 place de la Mairie, 35000 Rennes",
        "video_url": "https://visio.example.org/journee",
        "capacity_on_site": "20",
        "capacity_remote": "",
        "registration_closes_at": "",
        "audience": MeetingAudience.MEMBERS,
        "region": "",
    }
    data.update(overrides)
    return data


def register(meeting, user, mode=AttendanceMode.REMOTE, status=RegistrationStatus.CONFIRMED):
    return Registration.objects.create(meeting=meeting, user=user, mode=mode, status=status)


# Creating ----------------------------------------------------------------------------------------


def test_a_curator_creates_a_draft_in_the_time_zone_typed(client, curator):
    client.force_login(curator)
    response = client.post(reverse("meetings:create"), meeting_data())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:detail", kwargs={"pk": meeting.pk})
    assert meeting.status == MeetingStatus.DRAFT
    assert list(meeting.organisers.all()) == [curator]
    # 9:00 in Paris in March (UTC+1).
    assert meeting.starts_at == datetime(2030, 3, 12, 8, 0, tzinfo=UTC)
    assert AuditEntry.objects.filter(action="meetings.meeting.created", target_id=str(meeting.pk)).exists()


def test_overseas_times_are_kept_as_typed_and_named(client, curator):
    client.force_login(curator)
    client.post(
        reverse("meetings:create"),
        meeting_data(time_zone="Indian/Reunion", format=MeetingFormat.REMOTE, capacity_on_site="", place=""),
    )
    meeting = Meeting.objects.get()
    assert meeting.starts_at == datetime(2030, 3, 12, 5, 0, tzinfo=UTC)  # Réunion is UTC+4
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "12 mars 2030, de 09:00 à 17:00 (heure de La Réunion)" in page
    edit = client.get(reverse("meetings:edit", kwargs={"pk": meeting.pk})).content.decode()
    assert 'value="2030-03-12T09:00"' in edit


def test_a_member_may_not_create_a_meeting_by_default(client, member):
    client.force_login(member)
    assert client.get(reverse("meetings:create")).status_code == 403
    assert client.post(reverse("meetings:create"), meeting_data()).status_code == 403
    assert "Créer une rencontre" not in client.get(reverse("meetings:list")).content.decode()
    assert not Meeting.objects.exists()


def test_when_allowed_a_member_organises_a_regional_draft_that_a_curator_announces(client, settings, member, curator):
    settings.MEETINGS_MEMBERS_MAY_ORGANISE = True
    ProfileFactory(user=member)  # council in Ille-et-Vilaine: Bretagne
    bretagne = Region.objects.get(departments__code="35")
    elsewhere = Region.objects.exclude(pk=bretagne.pk).first()
    client.force_login(member)
    assert "Créer une rencontre" in client.get(reverse("meetings:list")).content.decode()

    refused = client.post(reverse("meetings:create"), meeting_data(region=str(elsewhere.pk)))
    assert refused.status_code == 200 and not Meeting.objects.exists()
    assert "Sélectionnez un choix valide" in refused.content.decode()

    response = client.post(reverse("meetings:create"), meeting_data(region=str(bretagne.pk)))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.status == MeetingStatus.DRAFT and meeting.region == bretagne
    # The team is told there is a meeting to read.
    assert Notification.objects.filter(recipient=curator, url=meeting.get_absolute_url()).exists()

    # The member cannot announce it; a curator can.
    assert client.post(reverse("meetings:publish", kwargs={"pk": meeting.pk})).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.DRAFT
    client.force_login(curator)
    client.post(reverse("meetings:publish", kwargs={"pk": meeting.pk}))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED


def test_a_member_without_a_region_is_told_why(client, settings, member):
    settings.MEETINGS_MEMBERS_MAY_ORGANISE = True
    client.force_login(member)
    response = client.post(reverse("meetings:create"), meeting_data())
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "Indiquez d&#x27;abord votre conseil de développement" in response.content.decode()


def test_bad_input_gets_french_messages_and_keeps_what_was_typed(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("meetings:create"),
        meeting_data(
            title="Mon titre tapé",
            starts_at="2030-03-12T17:00",
            ends_at="2030-03-12T09:00",
            format=MeetingFormat.REMOTE,
            video_url="",
            capacity_on_site="10",
            capacity_remote="-3",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "La fin de la rencontre doit venir après son début." in page
    assert "Indiquez le lien de visioconférence" in page
    assert "n&#x27;a pas de places sur place : laissez ce champ vide." in page
    assert "Le nombre de places ne peut pas être négatif." in page
    assert 'value="Mon titre tapé"' in page


def test_on_site_needs_a_place_and_a_known_time_zone(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("meetings:create"), meeting_data(format=MeetingFormat.ON_SITE, place="", time_zone="Mars/Olympus")
    )
    page = response.content.decode()
    assert "Indiquez le lieu de la rencontre" in page
    assert "Sélectionnez un choix valide" in page
    assert not Meeting.objects.exists()


def test_too_long_texts_are_refused(client, curator):
    client.force_login(curator)
    response = client.post(reverse("meetings:create"), meeting_data(description="x" * 20_001, title="t" * 201))
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert "20000 caractères au plus" in response.content.decode()


# Editing -----------------------------------------------------------------------------------------


def test_a_stale_edit_shows_the_conflict_and_keeps_the_typing(client, curator):
    meeting = make_meeting(curator)
    other = UserFactory(curator=True)
    client.force_login(curator)
    page = client.get(reverse("meetings:edit", kwargs={"pk": meeting.pk}))
    assert page.status_code == 200
    stale = meeting.lock_version
    # Someone else saves meanwhile.
    values = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    services.meeting_update(
        meeting_id=meeting.pk, actor=other, values={**values, "title": "Titre de l'autre"}, lock_version=stale
    )

    data = meeting_data(title="Mon titre", lock_version=str(stale))
    response = client.post(reverse("meetings:edit", kwargs={"pk": meeting.pk}), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Conflit de modification" in content and 'value="Mon titre"' in content
    meeting.refresh_from_db()
    assert meeting.title == "Titre de l'autre"

    # Saving again, knowingly, goes through.
    data["lock_version"] = str(meeting.lock_version)
    assert client.post(reverse("meetings:edit", kwargs={"pk": meeting.pk}), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Mon titre"


def test_only_organisers_and_curators_edit(client, member, other_member, curator):
    meeting = make_meeting(member)
    url = reverse("meetings:edit", kwargs={"pk": meeting.pk})
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(curator)
    assert client.get(url).status_code == 200


def test_organisers_are_added_by_address_and_one_always_stays(client, curator, member):
    meeting = make_meeting(curator)
    client.force_login(curator)
    url = reverse("meetings:organisers", kwargs={"pk": meeting.pk})
    unknown = client.post(url, {"email": "personne@example.org"})
    assert "Aucun·e membre validé·e du réseau n&#x27;a cette adresse." in unknown.content.decode()
    client.post(url, {"email": member.email})
    assert set(meeting.organisers.all()) == {curator, member}
    client.post(reverse("meetings:organiser_remove", kwargs={"pk": meeting.pk, "user_id": curator.pk}))
    assert list(meeting.organisers.all()) == [member]
    client.force_login(member)
    client.post(reverse("meetings:organiser_remove", kwargs={"pk": meeting.pk, "user_id": member.pk}))
    assert list(meeting.organisers.all()) == [member]


# Who sees what -----------------------------------------------------------------------------------


def test_a_members_only_meeting_asks_anonymous_visitors_to_log_in(client, curator):
    members_only = make_meeting(curator, title="Réservée aux membres")
    public = make_meeting(curator, title="Ouverte à tous", audience=MeetingAudience.PUBLIC)
    response = client.get(members_only.get_absolute_url())
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.get(public.get_absolute_url()).status_code == 200
    listing = client.get(reverse("meetings:list")).content.decode()
    assert "Ouverte à tous" in listing and "Réservée aux membres" not in listing


def test_a_draft_is_seen_by_its_organisers_and_the_team_only(client, member, other_member, curator):
    draft = make_meeting(member, status=MeetingStatus.DRAFT, title="Brouillon secret")
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    assert "Brouillon secret" not in client.get(reverse("meetings:list")).content.decode()
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(curator)
    page = client.get(url).content.decode()
    assert "Annoncer la rencontre" in page


def test_the_video_link_is_for_registered_people_and_organisers(client, member, other_member, curator):
    meeting = make_meeting(curator, video_url="https://visio.example.org/secret-42")
    register(meeting, member, mode=AttendanceMode.REMOTE)
    for user, shown in ((other_member, False), (member, True), (curator, True)):
        client.force_login(user)
        assert ("secret-42" in client.get(meeting.get_absolute_url()).content.decode()) is shown
    client.logout()
    public = make_meeting(curator, video_url="https://visio.example.org/public-43", audience=MeetingAudience.PUBLIC)
    assert "public-43" not in client.get(public.get_absolute_url()).content.decode()


def test_the_list_shows_upcoming_first_then_past_and_full_meetings(client, member, curator):
    make_meeting(curator, days=-10, title="Rencontre passée")
    later = make_meeting(
        curator, days=20, title="Rencontre plus tard", on_site=1, remote=None, format=MeetingFormat.ON_SITE
    )
    make_meeting(curator, days=5, title="Rencontre bientôt")
    register(later, member, mode=AttendanceMode.ON_SITE)
    client.force_login(member)
    page = client.get(reverse("meetings:list")).content.decode()
    assert page.index("Rencontre bientôt") < page.index("Rencontre plus tard") < page.index("Rencontre passée")
    assert "Complet" in page
    past_only = client.get(reverse("meetings:list"), {"quand": "passees"}).content.decode()
    assert "Rencontre passée" in past_only and "Rencontre bientôt" not in past_only


def test_the_list_query_count_does_not_grow(client, member, curator, django_assert_max_num_queries):
    make_meeting(curator)
    client.force_login(member)
    client.get(reverse("meetings:list"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("meetings:list"))
    for day in range(2, 12):
        make_meeting(curator, days=day)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("meetings:list"))


# Cancelling --------------------------------------------------------------------------------------


def test_cancelling_needs_a_reason_and_tells_the_registered_people(
    client, member, curator, django_capture_on_commit_callbacks
):
    meeting = make_meeting(curator)
    register(meeting, member)
    client.force_login(curator)
    url = reverse("meetings:meeting_cancel", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "La salle est indisponible."})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "La salle est indisponible." in mail.outbox[0].body
    assert Notification.objects.filter(recipient=member, message__contains="annulée").exists()
    assert "La salle est indisponible." in client.get(meeting.get_absolute_url()).content.decode()


def test_another_member_cannot_cancel(client, other_member, curator):
    meeting = make_meeting(curator)
    client.force_login(other_member)
    assert (
        client.post(reverse("meetings:meeting_cancel", kwargs={"pk": meeting.pk}), {"reason": "Non"}).status_code == 403
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PUBLISHED


# Minutes -----------------------------------------------------------------------------------------


def test_minutes_are_shown_once_published(client, member, curator):
    meeting = make_meeting(curator, days=-2)
    register(meeting, member)
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    client.force_login(curator)
    client.post(
        url, {"minutes": "# Ce que nous avons dit\n\nBeaucoup de **choses**.", "lock_version": meeting.lock_version}
    )
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is None
    client.force_login(member)
    assert "Beaucoup de" not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403

    client.force_login(curator)
    client.post(url, {"minutes": meeting.minutes, "lock_version": meeting.lock_version, "publier": "1"})
    meeting.refresh_from_db()
    assert meeting.minutes_published_at is not None
    client.force_login(member)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Beaucoup de <strong>choses</strong>" in page
    assert Notification.objects.filter(recipient=member, message__contains="compte rendu").exists()


def test_stale_minutes_are_never_overwritten(client, curator):
    meeting = make_meeting(curator, days=-2, minutes="Version A")
    client.force_login(curator)
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    client.post(url, {"minutes": "Version B", "lock_version": meeting.lock_version})
    response = client.post(url, {"minutes": "Version C", "lock_version": meeting.lock_version})
    assert "Conflit de modification" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Version B"


# Documents ---------------------------------------------------------------------------------------


def test_documents_download_follows_the_meeting_s_visibility(client, member, other_member, curator):
    meeting = make_meeting(curator)
    client.force_login(curator)
    upload = SimpleUploadedFile("programme.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        reverse("meetings:materials", kwargs={"pk": meeting.pk}),
        {"source": "fichier", "fichier-file": upload, "fichier-title": "Programme détaillé"},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.content_type == "application/pdf" and material.file_name == "programme.pdf"
    url = reverse("meetings:material_download", kwargs={"pk": material.pk})

    client.force_login(member)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF_BYTES
    assert "Programme détaillé" in client.get(meeting.get_absolute_url()).content.decode()
    client.logout()
    assert client.get(url).status_code == 302  # members-only: log in first
    # A draft's documents are for its organisers and the team.
    meeting.status = MeetingStatus.DRAFT
    meeting.save()
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    # Nor may a member who is not an organiser add or remove one.
    assert client.get(reverse("meetings:materials", kwargs={"pk": meeting.pk})).status_code == 404
    meeting.status = MeetingStatus.PUBLISHED
    meeting.save()
    assert client.get(reverse("meetings:materials", kwargs={"pk": meeting.pk})).status_code == 403
    assert client.post(reverse("meetings:material_remove", kwargs={"pk": material.pk})).status_code == 403


def test_a_file_is_checked_by_its_content(client, curator):
    meeting = make_meeting(curator)
    client.force_login(curator)
    upload = SimpleUploadedFile(
        "rapport.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = client.post(
        reverse("meetings:materials", kwargs={"pk": meeting.pk}), {"source": "fichier", "fichier-file": upload}
    )
    assert response.status_code == 400
    assert "Ce type de fichier n&#x27;est pas accepté" in response.content.decode()
    assert not Material.objects.exists()


def test_links_and_toolbox_resources_are_attached_and_removed(client, member, curator):
    resource = make_resource(member, published_by=curator, title="World café")
    draft = make_resource(member, title="Brouillon de ressource")
    meeting = make_meeting(curator)
    client.force_login(curator)
    url = reverse("meetings:materials", kwargs={"pk": meeting.pk})
    page = client.get(url).content.decode()
    assert "World café" in page and "Brouillon de ressource" not in page
    client.post(url, {"source": "ressource", "ressource-resource": str(resource.pk)})
    refused = client.post(url, {"source": "ressource", "ressource-resource": str(draft.pk)})
    assert refused.status_code == 400
    client.post(url, {"source": "lien", "lien-title": "Diaporama", "lien-url": "https://docs.example.org/diapo"})
    titles = list(meeting.materials.values_list("title", flat=True))
    assert titles == ["World café", "Diaporama"]
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("toolbox:detail", kwargs={"pk": resource.pk}) in detail
    assert "https://docs.example.org/diapo" in detail
    link = meeting.materials.get(title="Diaporama")
    client.post(reverse("meetings:material_remove", kwargs={"pk": link.pk}))
    assert list(meeting.materials.values_list("title", flat=True)) == ["World café"]


def test_a_member_co_organising_a_national_meeting_keeps_it_national(client, curator, member):
    meeting = make_meeting(curator)
    meeting.organisers.add(member)
    client.force_login(member)
    data = meeting_data(title="Titre revu", lock_version=str(meeting.lock_version))
    assert client.post(reverse("meetings:edit", kwargs={"pk": meeting.pk}), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Titre revu" and meeting.region is None
