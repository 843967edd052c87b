import factory
from django.utils import timezone

from competences.enums import CompetenceKind, FrameworkStatus
from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel
from missions.models import Activity, Mission
from referentiel.framework import (
    ActivityData,
    AlignmentData,
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
            LevelData(3, "Maîtrise", "Autonome", proficient=True),
            LevelData(4, "Expertise", "Transmet", proficient=True),
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


LONG_TITLE = (
    "Concevoir, animer et évaluer une démarche de participation citoyenne associant les habitants, les "
    "associations et les acteurs économiques à l'élaboration du projet de territoire"
)


def rich_data(label="v2.0") -> FrameworkData:
    """Everything a version can hold: a 5-level domain tree (and an empty domain), related competences, external
    alignments, proficient levels, a summary, titles past Moodle's 100 characters, `replaces`, texts that a
    spreadsheet would take for formulas. Items come in the snapshot's order (domains in tree order)."""
    data = FrameworkData(
        label=label,
        summary="Version enrichie : arborescence de domaines, compétences liées et correspondances ROME/ESCO.",
        scale=[
            LevelData(1, "Notions", "Connaît"),
            LevelData(2, "Application", "Applique"),
            LevelData(3, "Maîtrise", "Autonome", proficient=True),
            LevelData(4, "Expertise", "Transmet", proficient=True),
        ],
    )
    tree = [  # code, parent, order, title
        ("D-1", "", 1, "Piloter la participation"),
        ("D-1.1", "D-1", 1, "Mobiliser"),
        ("D-1.1.1", "D-1.1", 1, "Mobiliser les publics"),
        ("D-1.1.1.1", "D-1.1.1", 1, "Mobiliser les publics éloignés"),
        ("D-1.1.1.1.1", "D-1.1.1.1", 1, LONG_TITLE),
        ("D-1.2", "D-1", 2, "Animer"),
        ("D-2", "", 2, "Coopérer"),
        ("D-3", "", 3, "Domaine encore vide"),
    ]
    for code, parent, order, title in tree:
        data.domains.append(
            DomainData(code, title, f"Description de {code}", order, "D-0" if code == "D-2" else "", parent=parent)
        )
    competences = [  # code, domain, order, title, kind, transversal, related
        ("C-1", "D-1", 1, "Conduire une concertation", CompetenceKind.SKILL, True, ["C-2", "C-4"]),
        ("C-2", "D-1.1.1.1.1", 1, LONG_TITLE + " durable", CompetenceKind.KNOWLEDGE, False, ["C-1"]),
        ("C-3", "D-1.2", 1, "@équipe : animer une réunion", CompetenceKind.BEHAVIOUR, False, []),
        ("C-4", "D-2", 1, "-10 % de réunions : prioriser", CompetenceKind.SKILL, False, ["C-1"]),
        ("C-5", "D-2", 2, "=Coopérer avec les élus", CompetenceKind.SKILL, False, []),
    ]
    for code, domain, order, title, kind, transversal, related in competences:
        data.competences.append(
            CompetenceData(
                code,
                domain,
                title,
                f"+33 1 23 45 67 89 : joindre {code}" if code == "C-5" else f"Description de {code}",
                kind,
                transversal,
                order,
                "C-0" if code == "C-4" else "",
                {2: "Applique avec appui", 3: "Conduit seul·e"} if code == "C-1" else {},
                related=related,
            )
        )
    data.competences[0].alignments = [
        AlignmentData(
            "exact",
            "esco",
            "http://data.europa.eu/esco/skill/0a2c1e4b-7d8f-4a8e-9b1c-2f3d4e5f6a7b",
            "S1.2.3",
            "animer des réunions",
        ),
        AlignmentData("close", "rome", "", "K1802", "Développement local"),
    ]
    data.competences[1].alignments = [
        AlignmentData("exact", "rncp", "https://www.francecompetences.fr/recherche/rncp/35000/", "", "")
    ]
    data.missions = [
        MissionData("M1", "Animer le conseil", "Finalité 1", 1),
        MissionData("M2", LONG_TITLE + " (mission)", "Finalité 2", 2, "M0"),
    ]
    data.activities = [
        ActivityData("M1.A1", "M1", "Préparer les séances", "Description 1", 1, "", ["C-1", "C-2"]),
        ActivityData("M1.A2", "M1", "+33 : relancer les membres", "-Description 2", 2, "M1.A0", ["C-3"]),
        ActivityData("M2.A1", "M2", LONG_TITLE + " (activité)", "", 1, "", []),
    ]
    return data
