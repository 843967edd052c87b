"""Model factories of the vitrine's tests. Tests that check the rules should go through the services
(showcase.services…); these only build rows quickly (lists, query counts, matrix samples)."""

import datetime

import factory
from django.utils.text import slugify

from members.models import Region
from showcase.enums import PageStatus, WorkKind, WorkStatus
from showcase.models import CouncilPage, Theme, Work
from tests.members.factories import CouncilFactory


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème numéro {n}")
    slug = factory.LazyAttribute(lambda theme: slugify(theme.name))


class CouncilPageFactory(factory.django.DjangoModelFactory):
    """A published page of a validated council (département 35: Bretagne)."""

    class Meta:
        model = CouncilPage
        django_get_or_create = ["council"]

    council = factory.SubFactory(CouncilFactory)
    slug = factory.LazyAttribute(lambda page: slugify(page.council.name)[:120])
    presentation = "Un conseil de développement de test, ouvert à tous les habitant·es."
    territory = "Communauté d'agglomération de test"
    member_count = 80
    founded_year = 2002
    status = PageStatus.PUBLISHED
    region = factory.LazyFunction(lambda: Region.objects.filter(code="53").first())


class WorkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Work
        skip_postgeneration_save = True

    page = factory.SubFactory(CouncilPageFactory)
    kind = WorkKind.OPINION
    title = factory.Sequence(lambda n: f"Avis sur le plan de mobilité, numéro {n}")
    slug = factory.LazyAttribute(lambda work: slugify(work.title)[:120])
    summary = "Le conseil recommande des navettes entre les bourgs et la ville centre."
    issued_on = datetime.date(2025, 6, 12)
    status = WorkStatus.PUBLISHED
    region = factory.LazyAttribute(lambda work: work.page.region)
    search_text = factory.LazyAttribute(lambda work: f"{work.title} {work.summary}".lower())

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)
