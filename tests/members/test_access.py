"""Who may open each members page: anonymous, pending, member, curator."""

import pytest

from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN, PENDING, OK, FORBIDDEN = "login", "pending", 200, 403

PAGES = [
    # url, anonymous, pending, member, curator
    ("/membres/annuaire/", LOGIN, PENDING, OK, OK),
    ("/membres/{peer}/", 404, 404, OK, OK),
    ("/membres/{public_peer}/", OK, OK, OK, OK),
    ("/membres/mon-profil/", LOGIN, OK, OK, OK),
    ("/membres/mon-profil/apercu/", LOGIN, OK, OK, OK),
    ("/membres/conseils/nouveau/", LOGIN, OK, OK, OK),
    ("/membres/mes-donnees/", LOGIN, OK, OK, OK),
    ("/membres/mes-donnees/telecharger/", LOGIN, OK, OK, OK),
    ("/membres/mes-donnees/supprimer/", LOGIN, OK, OK, OK),
    ("/membres/equipe/comptes/", LOGIN, PENDING, FORBIDDEN, OK),
    ("/membres/equipe/comptes/{applicant}/refuser/", LOGIN, PENDING, FORBIDDEN, OK),
    ("/membres/equipe/invitations/", LOGIN, PENDING, FORBIDDEN, OK),
    ("/membres/equipe/conseils/", LOGIN, PENDING, FORBIDDEN, OK),
]


@pytest.mark.parametrize("role", ["anonymous", "pending", "member", "curator"])
@pytest.mark.parametrize(("url", "anonymous", "pending", "member", "curator"), PAGES)
def test_access(client, role, url, anonymous, pending, member, curator):
    expected = {"anonymous": anonymous, "pending": pending, "member": member, "curator": curator}[role]
    ids = {
        "peer": ProfileFactory().user_id,
        "public_peer": ProfileFactory(public=True).user_id,
        "applicant": UserFactory(pending=True).pk,
    }
    if role != "anonymous":
        client.force_login(UserFactory(pending=role == "pending", curator=role == "curator"))
    response = client.get(url.format(**ids))
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/comptes/login/")
    elif expected == PENDING:
        assert response.status_code == 302
        assert response["Location"] == "/membres/en-attente/"
    else:
        assert response.status_code == expected
