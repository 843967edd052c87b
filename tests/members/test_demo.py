import pytest

from members import demo, services
from members.enums import AccountStatus
from members.models import Council, Profile, Region, User

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_spreads_technicians_across_the_country():
    demo.seed()
    counts = (User.objects.count(), Council.objects.count(), Profile.objects.count())
    demo.seed()
    assert (User.objects.count(), Council.objects.count(), Profile.objects.count()) == counts
    assert Profile.objects.approved().filter(user__role="member").count() >= 60
    assert Council.objects.count() >= 25
    assert Council.objects.pending().count() == 1
    regions = Region.objects.filter(departments__councils__profiles__isnull=False).distinct().count()
    assert regions >= 12
    assert Profile.objects.filter(user__email="technicienne@demo.codev-reseau.fr", council__isnull=False).exists()
    assert Profile.objects.filter(user__email="equipe@demo.codev-reseau.fr").exists()
    pending = User.objects.get(email="en-attente@demo.codev-reseau.fr")
    assert pending.status == AccountStatus.PENDING and pending.profile.council is not None


def test_demo_council_names_are_not_near_duplicates_of_each_other():
    demo.seed()
    for council in Council.objects.all():
        assert services.council_find_similar(name=council.name, exclude_pk=council.pk) is None, council.name


def test_the_demo_directory_shows_the_seeded_technicians(client):
    demo.seed()
    client.force_login(User.objects.get(email="technicienne@demo.codev-reseau.fr"))
    page = client.get("/membres/annuaire/").content.decode()
    assert "Amandine Aubriot" in page
    assert "Page 1 sur" in page
