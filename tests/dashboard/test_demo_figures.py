"""The demo data (what `run.sh` loads) gives every dashboard page, the exports and the public figures."""

import pytest
from django.core.management import call_command

from members.models import User

pytestmark = pytest.mark.django_db


def test_every_figure_page_answers_on_the_demo_data(client):
    call_command("seed_demo", verbosity=0)
    assert client.get("/chiffres/").status_code == 200
    client.force_login(User.objects.get(email="equipe@demo.codev-reseau.fr"))
    for url in ("/chiffres/reseau/", "/chiffres/reseau/export.csv", "/chiffres/reseau/export.xlsx"):
        response = client.get(url)
        assert response.status_code == 200, url
