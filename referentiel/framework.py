"""A plain, in-memory picture of a référentiel version.

One shape shared by copying a version, comparing two versions, exporting and importing: each
reads or writes a `FrameworkData`, so that a version exported then imported gives back the same
framework by construction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from competences.enums import CompetenceKind
from competences.models import Competence, CompetenceLevel, Domain, FrameworkVersion, ScaleLevel, code_validator
from missions.models import Activity, Mission


@dataclass
class LevelData:
    value: int
    label: str
    descriptor: str = ""
    line: int | None = None


@dataclass
class DomainData:
    code: str
    title: str
    description: str = ""
    order: int = 0
    replaces: str = ""
    line: int | None = None


@dataclass
class CompetenceData:
    code: str
    domain: str
    title: str
    description: str = ""
    kind: str = CompetenceKind.SKILL
    transversal: bool = False
    order: int = 0
    replaces: str = ""
    levels: dict[int, str] = field(default_factory=dict)
    line: int | None = None


@dataclass
class MissionData:
    code: str
    title: str
    purpose: str = ""
    order: int = 0
    replaces: str = ""
    line: int | None = None


@dataclass
class ActivityData:
    code: str
    mission: str
    title: str
    description: str = ""
    order: int = 0
    replaces: str = ""
    competences: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class FrameworkData:
    label: str = ""
    summary: str = ""
    scale: list[LevelData] = field(default_factory=list)
    domains: list[DomainData] = field(default_factory=list)
    competences: list[CompetenceData] = field(default_factory=list)
    missions: list[MissionData] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)

    def comparable(self) -> dict:
        """Everything but source line numbers, for equality checks."""

        def strip(items):
            return [{k: v for k, v in vars(item).items() if k != "line"} for item in items]

        return {
            "scale": strip(self.scale),
            "domains": strip(self.domains),
            "competences": strip(self.competences),
            "missions": strip(self.missions),
            "activities": strip(self.activities),
        }


@dataclass
class Problem:
    """A problem found in a framework file, located by line and field."""

    message: str
    line: int | None = None
    field: str = ""

    def __str__(self):
        parts = []
        if self.line is not None:
            parts.append(_("ligne %(line)s") % {"line": self.line})
        if self.field:
            parts.append(_("champ « %(field)s »") % {"field": self.field})
        prefix = ", ".join(parts)
        return f"{prefix[:1].upper()}{prefix[1:]} : {self.message}" if prefix else self.message


def framework_snapshot(version) -> FrameworkData:
    """Read a stored version into a FrameworkData (a fixed number of queries)."""
    competences = (
        Competence.objects.of(version)
        .select_related("domain")
        .prefetch_related("levels")
        .order_by("domain__order", "domain__code", "order", "code")
    )
    activities = (
        Activity.objects.of(version)
        .select_related("mission")
        .prefetch_related("competences")
        .order_by("mission__order", "mission__code", "order", "code")
    )
    return FrameworkData(
        label=version.label,
        summary=version.summary,
        scale=[LevelData(s.value, s.label, s.descriptor) for s in ScaleLevel.objects.of(version).order_by("value")],
        domains=[
            DomainData(d.code, d.title, d.description, d.order, d.replaces)
            for d in Domain.objects.of(version).order_by("order", "code")
        ],
        competences=[
            CompetenceData(
                c.code,
                c.domain.code,
                c.title,
                c.description,
                c.kind,
                c.transversal,
                c.order,
                c.replaces,
                {lv.value: lv.descriptor for lv in sorted(c.levels.all(), key=lambda lv: lv.value)},
            )
            for c in competences
        ],
        missions=[
            MissionData(m.code, m.title, m.purpose, m.order, m.replaces)
            for m in Mission.objects.of(version).order_by("order", "code")
        ],
        activities=[
            ActivityData(
                a.code,
                a.mission.code,
                a.title,
                a.description,
                a.order,
                a.replaces,
                sorted(c.code for c in a.competences.all()),
            )
            for a in activities
        ],
    )


def framework_check(data: FrameworkData) -> list[Problem]:
    """Every problem that would stop `data` from becoming a version; empty when it is valid."""
    problems: list[Problem] = []

    def check_code(item, name="code"):
        value = getattr(item, name)
        if not value:
            problems.append(Problem(_("le code est obligatoire."), item.line, name))
            return False
        try:
            code_validator(value)
        except ValidationError:
            problems.append(Problem(_("le code « %(code)s » n'est pas valide.") % {"code": value}, item.line, name))
            return False
        return True

    def check_required(item, name, label):
        if not str(getattr(item, name) or "").strip():
            problems.append(Problem(_("%(label)s est obligatoire.") % {"label": label}, item.line, name))

    def check_length(item, name, limit):
        if len(getattr(item, name) or "") > limit:
            problems.append(Problem(_("pas plus de %(limit)s caractères.") % {"limit": limit}, item.line, name))

    seen: dict[str, tuple[str, int | None]] = {}

    def check_unique(item, kind):
        if item.code in seen:
            first_line = seen[item.code][1]
            problems.append(
                Problem(
                    _("le code « %(code)s » est déjà utilisé (ligne %(first)s).")
                    % {"code": item.code, "first": first_line}
                    if first_line is not None
                    else _("le code « %(code)s » est déjà utilisé.") % {"code": item.code},
                    item.line,
                    "code",
                )
            )
        else:
            seen[item.code] = (kind, item.line)

    values = set()
    for level in data.scale:
        if level.value in values:
            problems.append(
                Problem(_("le niveau %(value)s est en double.") % {"value": level.value}, level.line, "code")
            )
        values.add(level.value)
        check_required(level, "label", _("l'intitulé"))
        check_length(level, "label", 60)
    if not data.scale:
        problems.append(Problem(_("l'échelle de niveaux est vide : il faut au moins un niveau.")))
    if sorted(values) != list(range(1, len(values) + 1)):
        problems.append(Problem(_("les niveaux de l'échelle doivent être numérotés 1, 2, 3… sans trou.")))

    for domain in data.domains:
        if check_code(domain):
            check_unique(domain, "domain")
        check_required(domain, "title", _("l'intitulé"))
        check_length(domain, "title", 200)
    for mission in data.missions:
        if check_code(mission):
            check_unique(mission, "mission")
        check_required(mission, "title", _("l'intitulé"))
        check_length(mission, "title", 200)
    domain_codes = {d.code for d in data.domains}
    mission_codes = {m.code for m in data.missions}
    for competence in data.competences:
        if check_code(competence):
            check_unique(competence, "competence")
        check_required(competence, "title", _("l'intitulé"))
        check_length(competence, "title", 200)
        if competence.domain not in domain_codes:
            problems.append(
                Problem(
                    _("le domaine « %(code)s » n'existe pas.") % {"code": competence.domain}, competence.line, "parent"
                )
            )
        if competence.kind not in CompetenceKind.values:
            problems.append(
                Problem(
                    _("nature inconnue « %(kind)s » (savoir, savoir-faire ou savoir-etre).")
                    % {"kind": competence.kind},
                    competence.line,
                    "nature",
                )
            )
        for value in competence.levels:
            if value not in values:
                problems.append(
                    Problem(
                        _("le niveau %(value)s n'existe pas dans l'échelle.") % {"value": value},
                        competence.line,
                        "niveau",
                    )
                )
    competence_codes = {c.code for c in data.competences}
    for activity in data.activities:
        if check_code(activity):
            check_unique(activity, "activity")
        check_required(activity, "title", _("l'intitulé"))
        check_length(activity, "title", 200)
        if activity.mission not in mission_codes:
            problems.append(
                Problem(
                    _("la mission « %(code)s » n'existe pas.") % {"code": activity.mission}, activity.line, "parent"
                )
            )
        for code in activity.competences:
            if code not in competence_codes:
                problems.append(
                    Problem(
                        _("la compétence « %(code)s » n'existe pas.") % {"code": code}, activity.line, "competences"
                    )
                )
        if len(set(activity.competences)) != len(activity.competences):
            problems.append(Problem(_("une même compétence est citée deux fois."), activity.line, "competences"))
    problems += _limits_check(data)
    return problems


# Each attribute of the in-memory items that a model field stores, with the column of the project's
# files that holds it (to locate the problem).
STORED_FIELDS = {
    LevelData: (ScaleLevel, {"value": "code", "label": "titre", "descriptor": "description"}),
    DomainData: (Domain, {"title": "titre", "description": "description", "order": "ordre", "replaces": "remplace"}),
    CompetenceData: (
        Competence,
        {"title": "titre", "description": "description", "order": "ordre", "replaces": "remplace"},
    ),
    MissionData: (Mission, {"title": "titre", "purpose": "description", "order": "ordre", "replaces": "remplace"}),
    ActivityData: (
        Activity,
        {"title": "titre", "description": "description", "order": "ordre", "replaces": "remplace"},
    ),
}
# framework_check already reports these over their length, in its own words.
LENGTH_CHECKED = {"title", "label"}


def _value_problem(value, model_field: models.Field, *, check_length: bool = True) -> str | None:
    """Why `value` cannot be stored in `model_field` on every supported database, or None."""
    if isinstance(model_field, models.IntegerField):
        # Django's portable bounds: SQLite would store what PostgreSQL refuses.
        low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return _("« %(value)s » est hors limites : un nombre entier de %(min)s à %(max)s est attendu.") % {
                "value": str(value)[:20],
                "min": low,
                "max": high,
            }
        return None
    if not isinstance(value, str):
        return _("texte attendu.")
    if check_length and model_field.max_length is not None and len(value) > model_field.max_length:
        return _("pas plus de %(limit)s caractères.") % {"limit": model_field.max_length}
    if "\x00" in value:
        return _("le texte contient un caractère nul : il est refusé.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("le texte contient un caractère Unicode invalide : il est refusé.")
    return None


def _limits_check(data: FrameworkData) -> list[Problem]:
    """Every value checked against the model field that will store it, so that saving cannot fail."""
    problems: list[Problem] = []
    for item in [*data.scale, *data.domains, *data.competences, *data.missions, *data.activities]:
        model, columns = STORED_FIELDS[type(item)]
        for name, column in columns.items():
            message = _value_problem(
                getattr(item, name), model._meta.get_field(name), check_length=name not in LENGTH_CHECKED
            )
            if message:
                problems.append(Problem(message, item.line, column))
    descriptor = CompetenceLevel._meta.get_field("descriptor")
    for competence in data.competences:
        for text in competence.levels.values():
            message = _value_problem(text, descriptor)
            if message:
                problems.append(Problem(message, competence.line, "niveau"))
    message = _value_problem(data.summary, FrameworkVersion._meta.get_field("summary"))
    if message:
        problems.append(Problem(message))
    return problems


def framework_build(*, data: FrameworkData, version) -> None:
    """Write `data` into the (empty, draft) `version`. Call framework_check first."""
    ScaleLevel.objects.bulk_create(
        [ScaleLevel(version=version, value=s.value, label=s.label, descriptor=s.descriptor) for s in data.scale]
    )
    domains = {
        d.code: d
        for d in Domain.objects.bulk_create(
            [
                Domain(
                    version=version,
                    code=d.code,
                    title=d.title,
                    description=d.description,
                    order=d.order,
                    replaces=d.replaces,
                )
                for d in data.domains
            ]
        )
    }
    competences = {
        c.code: c
        for c in Competence.objects.bulk_create(
            [
                Competence(
                    version=version,
                    domain=domains[c.domain],
                    code=c.code,
                    title=c.title,
                    description=c.description,
                    kind=c.kind,
                    transversal=c.transversal,
                    order=c.order,
                    replaces=c.replaces,
                )
                for c in data.competences
            ]
        )
    }
    CompetenceLevel.objects.bulk_create(
        [
            CompetenceLevel(competence=competences[c.code], value=value, descriptor=text)
            for c in data.competences
            for value, text in c.levels.items()
        ]
    )
    missions = {
        m.code: m
        for m in Mission.objects.bulk_create(
            [
                Mission(
                    version=version, code=m.code, title=m.title, purpose=m.purpose, order=m.order, replaces=m.replaces
                )
                for m in data.missions
            ]
        )
    }
    activities = Activity.objects.bulk_create(
        [
            Activity(
                version=version,
                mission=missions[a.mission],
                code=a.code,
                title=a.title,
                description=a.description,
                order=a.order,
                replaces=a.replaces,
            )
            for a in data.activities
        ]
    )
    links = Activity.competences.through
    links.objects.bulk_create(
        [
            links(activity_id=activity.pk, competence_id=competences[code].pk)
            for activity, source in zip(activities, data.activities, strict=True)
            for code in source.competences
        ]
    )
