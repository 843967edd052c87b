import factory
from django.utils import timezone

from competences.enums import CompetenceKind, FrameworkStatus
from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel
from missions.models import Activity, Mission
from referentiel.framework import (
    ActivityData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    framework_build,
)


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    label = factory.Sequence(lambda n: f"v{n + 1}.0")
    status = FrameworkStatus.DRAFT
    summary = "Résumé des changements"

    class Params:
        published = factory.Trait(status=FrameworkStatus.PUBLISHED, published_at=factory.LazyFunction(timezone.now))
        archived = factory.Trait(status=FrameworkStatus.ARCHIVED, published_at=factory.LazyFunction(timezone.now))


class ScaleLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScaleLevel

    version = factory.SubFactory(FrameworkVersionFactory)
    value = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Niveau {n + 1}")


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    version = factory.SubFactory(FrameworkVersionFactory)
    code = factory.Sequence(lambda n: f"D-{n:03d}")
    title = factory.Sequence(lambda n: f"Domaine {n}")
    order = factory.Sequence(lambda n: n)


class CompetenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competence

    domain = factory.SubFactory(DomainFactory)
    version = factory.SelfAttribute("domain.version")
    code = factory.Sequence(lambda n: f"C-{n:03d}")
    title = factory.Sequence(lambda n: f"Compétence numéro {n}")
    description = "Une description."
    kind = CompetenceKind.SKILL
    order = factory.Sequence(lambda n: n)


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission

    version = factory.SubFactory(FrameworkVersionFactory)
    code = factory.Sequence(lambda n: f"M{n}")
    title = factory.Sequence(lambda n: f"Mission {n}")
    order = factory.Sequence(lambda n: n)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    mission = factory.SubFactory(MissionFactory)
    version = factory.SelfAttribute("mission.version")
    code = factory.Sequence(lambda n: f"A{n}")
    title = factory.Sequence(lambda n: f"Animer l'activité {n}")
    order = factory.Sequence(lambda n: n)


def small_data(label="v1.0", *, missions=2, activities=2, domains=2, competences=3) -> FrameworkData:
    """A small but complete framework, sized by the arguments."""
    data = FrameworkData(
        label=label,
        summary="Version de test",
        scale=[
            LevelData(1, "Notions", "Connaît"),
            LevelData(2, "Application", "Applique"),
            LevelData(3, "Maîtrise", "Autonome"),
            LevelData(4, "Expertise", "Transmet"),
        ],
    )
    for d in range(1, domains + 1):
        data.domains.append(DomainData(f"D-{d}", f"Domaine {d}", f"Description du domaine {d}", d))
        for c in range(1, competences + 1):
            data.competences.append(
                CompetenceData(
                    f"C-{d}-{c:02d}",
                    f"D-{d}",
                    f"Compétence {d}.{c}",
                    f"Savoir faire la chose {d}.{c}",
                    CompetenceKind.SKILL if c % 2 else CompetenceKind.BEHAVIOUR,
                    c == 1,
                    c,
                    "",
                    {2: f"Applique la chose {d}.{c}"} if c == 1 else {},
                )
            )
    for m in range(1, missions + 1):
        data.missions.append(MissionData(f"M{m}", f"Mission {m}", f"Finalité {m}", m))
        for a in range(1, activities + 1):
            data.activities.append(
                ActivityData(
                    f"M{m}.A{a}",
                    f"M{m}",
                    f"Réaliser l'activité {m}.{a}",
                    f"Description {m}.{a}",
                    a,
                    "",
                    sorted({f"C-1-{a % competences + 1:02d}", f"C-{domains}-01"}),
                )
            )
    return data


def build_version(data: FrameworkData | None = None, *, status=FrameworkStatus.PUBLISHED, label=None):
    """Store `data` as a version with `status` (created in that status: only one draft may exist at a time)."""
    data = data or small_data(label or "v1.0")
    published_at = timezone.now() if status != FrameworkStatus.DRAFT else None
    version = FrameworkVersion.objects.create(
        label=label or data.label, summary=data.summary, status=status, published_at=published_at
    )
    framework_build(data=data, version=version)  # bulk inserts: allowed whatever the status
    return version
