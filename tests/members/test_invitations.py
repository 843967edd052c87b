from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from members import services
from members.enums import AccountStatus, InvitationOutcome
from members.models import Invitation, User
from tests.members.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/membres/equipe/invitations/"


def test_only_curators_invite(client, member):
    assert client.get(URL).status_code == 302
    client.force_login(member)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"emails": "nouvelle@example.org"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_pasted_list_gets_a_line_by_line_report(curator_client, curator, django_capture_on_commit_callbacks):
    UserFactory(email="deja-membre@example.org")
    InvitationFactory(email="deja-invitee@example.org")
    InvitationFactory(email="expiree@example.org", expired=True)
    pasted = "\n".join(
        [
            "nouvelle@example.org",
            "pas une adresse",
            "NOUVELLE@example.org",
            "Deja-Membre@example.org",
            "deja-invitee@example.org",
            "expiree@example.org",
            "",
            "@@@;autre@example.org",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(URL, {"emails": pasted})
    page = response.content.decode()
    assert "Compte rendu, ligne par ligne" in page
    for label in ("Adresse invalide", "En double dans la liste", "A déjà un compte", "Déjà invité·e"):
        assert label in page
    assert "3 invitations envoyées sur 8 lignes." in page
    assert set(Invitation.objects.open().values_list("email", flat=True)) == {
        "nouvelle@example.org",
        "deja-invitee@example.org",
        "expiree@example.org",
        "autre@example.org",
    }
    assert sorted(message.to[0] for message in mail.outbox) == [
        "autre@example.org",
        "expiree@example.org",
        "nouvelle@example.org",
    ]
    invitation = Invitation.objects.get(email="nouvelle@example.org")
    assert f"/membres/invitation/{invitation.token}/" in mail.outbox[0].body + mail.outbox[1].body + mail.outbox[2].body
    assert invitation.invited_by == curator
    assert timedelta(days=29) < invitation.expires_at - timezone.now() <= timedelta(days=30)


def test_the_report_outcomes_of_the_service():
    UserFactory(email="membre@example.org")
    report = services.invitations_send(values=["a@example.org", "x", "a@example.org", "membre@example.org"], by=None)
    assert [line.outcome for line in report] == [
        InvitationOutcome.INVITED,
        InvitationOutcome.INVALID,
        InvitationOutcome.DUPLICATE,
        InvitationOutcome.ALREADY_MEMBER,
    ]


def test_a_csv_file_is_read_from_its_first_column(curator_client):
    content = b"email;nom\nun@example.org;Une\ndeux@example.org;Deux\nnimporte quoi;X\n"
    response = curator_client.post(URL, {"csv_file": SimpleUploadedFile("liste.csv", content, "text/csv")})
    assert "2 invitations envoyées sur 3 lignes." in response.content.decode()
    assert set(Invitation.objects.values_list("email", flat=True)) == {"un@example.org", "deux@example.org"}


def test_more_than_500_addresses_are_refused_whole(curator_client):
    pasted = "\n".join(f"personne{n}@example.org" for n in range(501))
    response = curator_client.post(URL, {"emails": pasted})
    page = response.content.decode()
    assert "La liste compte 501 adresses : envoyez-en au plus 500 à la fois." in page
    assert "personne500@example.org" in page  # what was typed is kept
    assert not Invitation.objects.exists()


def test_an_empty_form_or_a_binary_file_says_what_to_fix(curator_client):
    page = curator_client.post(URL, {"emails": "  "}).content.decode()
    assert "Saisissez au moins une adresse ou joignez un fichier CSV." in page
    binary = SimpleUploadedFile("photo.csv", b"\x89PNG\x00\x00\x00", "text/csv")
    page = curator_client.post(URL, {"csv_file": binary}).content.decode()
    assert "Ce fichier n&#x27;est pas un fichier CSV" in page or "Ce fichier n'est pas un fichier CSV" in page
    assert not Invitation.objects.exists()


def _signup(client, email):
    return client.post(
        "/comptes/signup/",
        {
            "first_name": "Dominique",
            "last_name": "Invitée",
            "email": email,
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
        follow=True,
    )


def test_signing_up_through_an_invitation_approves_the_account_at_once(client):
    invitation = InvitationFactory(email="invitee@example.org")
    response = client.get(f"/membres/invitation/{invitation.token}/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/comptes/signup/"
    assert 'value="invitee@example.org"' in page
    _signup(client, "invitee@example.org")
    user = User.objects.get(email="invitee@example.org")
    assert user.status == AccountStatus.APPROVED
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.get("/membres/annuaire/").status_code == 200  # logged in and approved


def test_signing_up_with_another_address_stays_pending(client):
    invitation = InvitationFactory(email="invitee@example.org")
    client.get(f"/membres/invitation/{invitation.token}/")
    _signup(client, "quelquun-dautre@example.org")
    assert User.objects.get(email="quelquun-dautre@example.org").status == AccountStatus.PENDING
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_ordinary_signup_stays_pending(client):
    _signup(client, "spontanee@example.org")
    assert User.objects.get(email="spontanee@example.org").status == AccountStatus.PENDING


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: InvitationFactory(expired=True).token, "Ce lien d'invitation a expiré."),
        (lambda: InvitationFactory(accepted_at=timezone.now()).token, "a déjà servi à créer un compte"),
        (lambda: "jeton-inconnu", "Ce lien d'invitation n'est pas valide."),
    ],
)
def test_expired_used_or_unknown_links_are_refused_with_a_message(client, make, message):
    response = client.get(f"/membres/invitation/{make()}/")
    assert response.status_code == 410
    assert message in response.content.decode()
    assert "invitation_token" not in client.session


def test_an_invitation_that_expired_before_signup_does_not_approve(client):
    invitation = InvitationFactory(email="lente@example.org")
    client.get(f"/membres/invitation/{invitation.token}/")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    _signup(client, "lente@example.org")
    assert User.objects.get(email="lente@example.org").status == AccountStatus.PENDING


# --- Malformed or hostile lists (issue 12, item 8) ------------------------------------------------


def test_a_csv_with_a_huge_field_gets_a_form_error_not_a_crash(curator_client):
    # A single cell of 200,000 characters made the csv module raise: HTTP 500.
    content = b"email\n" + b"a" * 200_000 + b"@example.org\nun@example.org\n"
    response = curator_client.post(URL, {"csv_file": SimpleUploadedFile("liste.csv", content, "text/csv")})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ligne 2 : une cellule dépasse 1000 caractères ; le fichier est refusé." in page
    assert not Invitation.objects.exists()


def test_a_csv_with_too_many_lines_is_refused():
    with pytest.raises(ValidationError, match="Le fichier compte trop de lignes"):
        services.invitation_lines_from_csv(b"\n".join(b"x@example.org" for _ in range(6000)))


def test_an_address_longer_than_the_column_is_reported_invalid_not_stored():
    # Valid for validate_email (320 characters at most) but longer than the 254 the column holds:
    # PostgreSQL refused the row (HTTP 500), SQLite stored it whole.
    long_address = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".fr"
    assert 254 < len(long_address) <= 320
    report = services.invitations_send(values=[long_address, "court@example.org"], by=None)
    assert [line.outcome for line in report] == [InvitationOutcome.INVALID, InvitationOutcome.INVITED]
    assert list(Invitation.objects.values_list("email", flat=True)) == ["court@example.org"]


csv_cells = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["email", "un@example.org", "UN@example.org", "<deux@example.org>", '"', ";", ",", "a" * 300]),
    st.builds(lambda local, domain: f"{local}@{domain}", st.text(max_size=70), st.text(max_size=260)),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    content=st.one_of(
        st.binary(max_size=800),
        st.lists(st.lists(csv_cells, max_size=4), max_size=12).map(
            lambda rows: "\n".join(";".join(row) for row in rows).encode()
        ),
    )
)
def test_fuzz_an_invitation_list_gives_a_report_or_a_form_error_never_a_crash(content):
    try:
        values = services.invitation_lines_from_csv(content)
    except ValidationError as error:
        assert error.messages
        return
    with transaction.atomic():
        report = services.invitations_send(values=values, by=None)
        assert len(report) == len(values)
        for invitation in Invitation.objects.all():
            invitation.full_clean(exclude=["invited_by", "accepted_by"])
        transaction.set_rollback(True)
