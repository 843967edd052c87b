"""The list of spaces: the regions a member joined come first, then every region by name as people read it."""

from exchange import follows, services
from exchange.models import Space


def test_joined_regions_first_then_names_without_accents_mattering(client, member):
    services.region_spaces_ensure()
    occitanie = Space.objects.get(kind="region", region__code="76")
    follows.follow_add(user=member, target=occitanie)
    client.force_login(member)
    html = client.get("/entraide/").content.decode()
    part = html.split('id="espaces-regionaux"', 1)[1]
    positions = {
        name: part.index(f">{name}<")
        for name in ("Occitanie", "Auvergne-Rhône-Alpes", "Hauts-de-France", "Île-de-France", "La Réunion")
    }
    assert positions["Occitanie"] < positions["Auvergne-Rhône-Alpes"]
    assert positions["Hauts-de-France"] < positions["Île-de-France"] < positions["La Réunion"]
