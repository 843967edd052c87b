import io
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from members import photos, services
from members.enums import Category, EmploymentStatus, Visibility
from members.models import Profile
from tests.members.factories import CouncilFactory, ProfileFactory
from tests.members.images import exif_with_gps, image_bytes, png_claiming, upload
from tests.two_tabs import open_form

pytestmark = pytest.mark.django_db

URL = "/membres/mon-profil/"


def valid_data(council, **overrides):
    data = {
        "display_name": "Camille Le Goff",
        "pronouns": "iel",
        "job_title": "Animatrice du conseil de développement",
        "council": council.pk,
        "identity_visibility": Visibility.MEMBERS,
        "employer": "",
        "time_share": "60",
        "employment_status": EmploymentStatus.CONTRACTUEL,
        "category": Category.A,
        "filiere": "administrative",
        "grade": "Attachée territoriale",
        "started_on": "2022-09-01",
        "placement": "participation",
        "post_visibility": Visibility.MEMBERS,
        "bio": "J'anime le conseil depuis 2022.",
        "help_topics": "Forum ouvert, débat mouvant",
        "training_wishes": "Facilitation à distance",
        "open_to_exchange": "on",
        "about_visibility": Visibility.PUBLIC,
        "contact_visibility": Visibility.HIDDEN,
    }
    data.update(overrides)
    return data


def opened(client) -> dict:
    """The version token of the profile form as the page shows it (the form opened before saving)."""
    return {"lock_version": open_form(client, URL)["lock_version"]}


def test_the_profile_is_created_on_first_visit_with_the_account_name(member_client, member):
    response = member_client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page and "Mon profil" in page
    profile = Profile.objects.get(user=member)
    assert profile.display_name == member.get_full_name()
    assert profile.contact_visibility == Visibility.HIDDEN


def test_a_member_saves_their_profile(member_client, member):
    council = CouncilFactory()
    response = member_client.post(URL, opened(member_client) | valid_data(council), follow=True)
    assert "Votre profil est enregistré." in response.content.decode()
    profile = Profile.objects.get(user=member)
    assert profile.display_name == "Camille Le Goff"
    assert profile.time_share == 60
    assert profile.council == council
    assert profile.started_on.isoformat() == "2022-09-01"
    assert profile.about_visibility == Visibility.PUBLIC


def test_pending_accounts_may_fill_in_their_profile_to_declare_their_council(client, pending_user):
    client.force_login(pending_user)
    council = CouncilFactory()
    response = client.post(URL, opened(client) | valid_data(council), follow=True)
    assert response.status_code == 200
    assert Profile.objects.get(user=pending_user).council == council


@pytest.mark.parametrize("value", ["101", "-5", "cent"])
def test_a_time_share_outside_0_100_is_refused_and_what_was_typed_is_kept(member_client, member, value):
    council = CouncilFactory()
    response = member_client.post(
        URL, opened(member_client) | valid_data(council, time_share=value, bio="Ma présentation à garder")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le profil n'a pas été enregistré" in page
    assert "Indiquez un pourcentage entre 0 et 100" in page
    assert "Ma présentation à garder" in page
    assert Profile.objects.filter(user=member, bio="Ma présentation à garder").count() == 0


def test_a_start_date_in_the_future_is_refused(member_client, member):
    council = CouncilFactory()
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = member_client.post(URL, opened(member_client) | valid_data(council, started_on=tomorrow))
    page = response.content.decode()
    assert "La date de prise de poste ne peut pas être dans le futur." in page
    assert tomorrow in page
    assert not Profile.objects.filter(user=member, started_on__isnull=False).exists()


def test_an_unvalidated_council_of_someone_else_cannot_be_picked(member_client, other_member):
    council = CouncilFactory(is_validated=False, declared_by=other_member)
    response = member_client.post(URL, opened(member_client) | valid_data(council))
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_a_valid_photo_is_resized_and_stripped_of_its_metadata(member_client, member):
    council = CouncilFactory()
    photo = upload("moi.jpg", image_bytes(size=(2000, 1000), exif=exif_with_gps()))
    member_client.post(URL, {**opened(member_client), **valid_data(council), "photo": photo}, follow=True)
    profile = Profile.objects.get(user=member)
    assert profile.photo.name.endswith(".webp")
    with profile.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "WEBP"
        assert max(image.size) == 512
        assert image.size == (512, 256)
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("texte.jpg", b"Ceci n'est pas une image, juste du texte.", "image/jpeg"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>',
            "image/svg+xml",
        ),
        ("anime.gif", image_bytes(fmt="GIF", size=(20, 20)), "image/gif"),
        ("tronquee.png", image_bytes(fmt="PNG")[:200], "image/png"),
    ],
)
def test_non_images_svg_and_other_formats_are_refused(member_client, member, name, content, content_type):
    council = CouncilFactory()
    response = member_client.post(
        URL,
        {
            **opened(member_client),
            **valid_data(council, bio="Texte saisi"),
            "photo": upload(name, content, content_type),
        },
    )
    page = response.content.decode()
    assert "Envoyez une photo au format JPEG, PNG ou WebP." in page
    assert "Texte saisi" in page
    profile = Profile.objects.get(user=member)
    assert not profile.photo
    assert profile.bio != "Texte saisi"


def test_an_oversized_photo_is_refused_with_its_size(member_client, member, settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 1000
    council = CouncilFactory()
    response = member_client.post(
        URL, {**opened(member_client), **valid_data(council), "photo": upload("grande.png", image_bytes("PNG"))}
    )
    page = response.content.decode()
    assert "Cette image est trop lourde" in page
    assert "la taille maximale est de" in page
    assert not Profile.objects.get(user=member).photo


def test_png_and_webp_are_accepted(member_client, member):
    council = CouncilFactory()
    for fmt, name in [("PNG", "a.png"), ("WEBP", "b.webp")]:
        member_client.post(
            URL,
            {**opened(member_client), **valid_data(council), "photo": upload(name, image_bytes(fmt, size=(100, 100)))},
        )
        assert Profile.objects.get(user=member).photo.name.endswith(".webp")


def test_replacing_and_removing_the_photo_deletes_the_old_file(
    member_client, member, django_capture_on_commit_callbacks
):
    council = CouncilFactory()
    member_client.post(URL, {**opened(member_client), **valid_data(council), "photo": upload("a.jpg", image_bytes())})
    first = Profile.objects.get(user=member).photo
    storage, first_name = first.storage, first.name
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            URL,
            {**opened(member_client), **valid_data(council), "photo": upload("b.jpg", image_bytes(color=(0, 0, 0)))},
        )
    second_name = Profile.objects.get(user=member).photo.name
    assert second_name != first_name
    assert not storage.exists(first_name)
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(URL, {**opened(member_client), **valid_data(council), "remove_photo": "on"})
    assert not Profile.objects.get(user=member).photo
    assert not storage.exists(second_name)


def test_the_photo_is_served_only_to_who_may_see_it(client, member_client, member, other_member):
    profile = ProfileFactory(user=member)
    member_client.post(
        URL, {**opened(member_client), **valid_data(profile.council), "photo": upload("a.jpg", image_bytes())}
    )
    url = f"/membres/{member.pk}/photo/"
    response = member_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    client.logout()
    assert client.get(url).status_code == 404  # identity is for members only
    client.force_login(other_member)
    response = client.get(url)
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.content)).format == "WEBP"


# --- Pixel-count limit (decompression bombs) ----------------------------------------------------


@pytest.mark.parametrize("size", [(50_000, 50_000), (6_000, 5_000), (25_000_001, 1)])
def test_a_photo_with_too_many_pixels_is_refused_before_decoding(member_client, member, size):
    council = CouncilFactory()
    bomb = png_claiming(*size)
    assert len(bomb) < 200  # a few bytes announcing a giant image
    started = time.monotonic()
    response = member_client.post(
        URL, {**opened(member_client), **valid_data(council, bio="Texte saisi"), "photo": upload("bombe.png", bomb)}
    )
    elapsed = time.monotonic() - started
    page = response.content.decode()
    assert "Cette image est trop grande : 25 mégapixels au plus" in page
    assert "Texte saisi" in page  # nothing typed is lost
    assert not Profile.objects.get(user=member).photo
    assert elapsed < 2, f"{elapsed:.1f} s : l'image a été décodée"


def test_the_pixel_bound_is_checked_on_the_header(monkeypatch, member_client, member):
    monkeypatch.setattr(photos, "MAX_PIXELS", 100 * 100)
    council = CouncilFactory()
    member_client.post(
        URL,
        {
            **opened(member_client),
            **valid_data(council),
            "photo": upload("juste.png", image_bytes("PNG", size=(101, 100))),
        },
    )
    assert not Profile.objects.get(user=member).photo
    member_client.post(
        URL,
        {
            **opened(member_client),
            **valid_data(council),
            "photo": upload("juste.png", image_bytes("PNG", size=(100, 100))),
        },
    )
    assert Profile.objects.get(user=member).photo


# --- No photo before approval -------------------------------------------------------------------


def test_a_pending_account_is_not_offered_the_photo_field(client, pending_user):
    client.force_login(pending_user)
    page = client.get(URL).content.decode()
    assert 'name="photo"' not in page
    assert "Vous pourrez ajouter une photo une fois votre compte validé" in page


def test_a_pending_account_cannot_upload_a_photo(client, pending_user):
    client.force_login(pending_user)
    council = CouncilFactory()
    response = client.post(
        URL, {**opened(client), **valid_data(council, bio="Texte saisi"), "photo": upload("moi.jpg", image_bytes())}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Votre compte n&#x27;est pas encore validé : vous pourrez ajouter une photo" in page
    assert "Texte saisi" in page
    profile = Profile.objects.get(user=pending_user)
    assert not profile.photo
    assert profile.bio != "Texte saisi"
    # Without a photo, a pending account still fills in its profile.
    client.post(URL, opened(client) | valid_data(council))
    assert Profile.objects.get(user=pending_user).council == council


def test_the_service_refuses_a_photo_for_a_pending_account(pending_user):
    profile = ProfileFactory(user=pending_user)
    photo = photos.photo_process(upload("moi.jpg", image_bytes(size=(50, 50))))
    with pytest.raises(ValidationError, match="en attente de validation"):
        services.profile_update(profile=profile, data={}, photo=photo)
    profile.refresh_from_db()
    assert not profile.photo
