import pytest

from members.models import Department, Region

pytestmark = pytest.mark.django_db


def test_every_database_has_the_18_regions_and_101_departements():
    assert Region.objects.count() == 18
    assert Department.objects.count() == 101
    assert Region.objects.filter(code__in=["01", "02", "03", "04", "06"]).count() == 5


@pytest.mark.parametrize(
    ("code", "name", "region"),
    [
        ("01", "Ain", "Auvergne-Rhône-Alpes"),
        ("2A", "Corse-du-Sud", "Corse"),
        ("2B", "Haute-Corse", "Corse"),
        ("29", "Finistère", "Bretagne"),
        ("75", "Paris", "Île-de-France"),
        ("95", "Val-d'Oise", "Île-de-France"),
        ("974", "La Réunion", "La Réunion"),
        ("976", "Mayotte", "Mayotte"),
    ],
)
def test_departements_carry_their_insee_code_and_region(code, name, region):
    department = Department.objects.select_related("region").get(code=code)
    assert department.name == name
    assert department.region.name == region


def test_there_is_no_departement_20_nor_975():
    assert not Department.objects.filter(code__in=["20", "975", "96"]).exists()
