"""A plain, in-memory picture of a référentiel version.

One shape shared by copying a version, comparing two versions, exporting and importing: each
reads or writes a `FrameworkData`, so that a version exported then imported gives back the same
framework by construction.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from competences.enums import AlignmentRelation, AlignmentScheme, CompetenceKind
from competences.models import (
    Alignment,
    Competence,
    CompetenceLevel,
    Domain,
    FrameworkVersion,
    ScaleLevel,
    code_validator,
)
from missions.models import Activity, Mission


@dataclass
class LevelData:
    value: int
    label: str
    descriptor: str = ""
    line: int | None = None
    ref: str = ""  # the item's identifier in formats without lines (CASE), for messages
    proficient: bool = False  # reaching this level means the competence is mastered (Moodle's "proficient")


@dataclass
class DomainData:
    code: str
    title: str
    description: str = ""
    order: int = 0
    replaces: str = ""
    line: int | None = None
    ref: str = ""  # the item's identifier in formats without lines (CASE), for messages
    parent: str = ""  # the code of the domain this one sits in; "" at the top of the tree


@dataclass
class AlignmentData:
    """A link from a competence to an entry of an external framework (ESCO, ROME 4.0, RNCP…)."""

    relation: str  # AlignmentRelation: "exact" (correspond à) or "close" (proche de)
    scheme: str  # AlignmentScheme: "esco", "rome", "rncp" or "autre"
    uri: str = ""
    code: str = ""
    title: str = ""


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
    ref: str = ""  # the item's identifier in formats without lines (CASE), for messages
    related: list[str] = field(default_factory=list)  # codes of related competences of the same version
    alignments: list[AlignmentData] = field(default_factory=list)


@dataclass
class MissionData:
    code: str
    title: str
    purpose: str = ""
    order: int = 0
    replaces: str = ""
    line: int | None = None
    ref: str = ""  # the item's identifier in formats without lines (CASE), for messages


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
    ref: str = ""  # the item's identifier in formats without lines (CASE), for messages


@dataclass
class FrameworkData:
    label: str = ""
    summary: str = ""
    status: str = ""  # FrameworkStatus of the stored version ("" for a file read)
    based_on: str = ""  # the label of the version this one was drafted from
    # Every code of the `based_on` version → its kind ("domain", "competence", "mission", "activity"), so that
    # exports can link an item to the same item of the earlier version (CASE exactMatchOf). Not compared.
    based_on_codes: dict[str, str] = field(default_factory=dict)
    scale: list[LevelData] = field(default_factory=list)
    domains: list[DomainData] = field(default_factory=list)
    competences: list[CompetenceData] = field(default_factory=list)
    missions: list[MissionData] = field(default_factory=list)
    activities: list[ActivityData] = field(default_factory=list)
    # The project table's column names (code, titre, parent…) → this file format's own names, so that
    # framework_check speaks of "ID number" in a Moodle file and of "humanCodingScheme" in a CASE one.
    field_names: dict[str, str] = field(default_factory=dict)

    def comparable(self) -> dict:
        """Everything but where items came from in a file, for equality checks."""

        def strip(items):
            return [
                {k: (v if k != "alignments" else [vars(a) for a in v]) for k, v in vars(item).items()}
                | {"line": None, "ref": ""}
                for item in items
            ]

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
    item: str = ""  # the item's identifier in the file, for formats without lines (a CASE identifier)

    def __str__(self):
        parts = []
        if self.item:
            parts.append(_("élément « %(item)s »") % {"item": self.item[:80]})
        elif self.line is not None:
            parts.append(_("ligne %(line)s") % {"line": self.line})
        if self.field:
            parts.append(_("champ « %(field)s »") % {"field": self.field})
        prefix = ", ".join(parts)
        return f"{prefix[:1].upper()}{prefix[1:]} : {self.message}" if prefix else self.message


def framework_snapshot(version) -> FrameworkData:
    """Read a stored version into a FrameworkData (a fixed number of queries).

    Domains come in tree order (each after its parent, siblings by order then code), competences in the
    order of their domains; the tree is ordered by one recursive query (django-tree-queries).
    """
    domains = list(
        Domain.objects.of(version).with_tree_fields().order_siblings_by("order", "code").select_related("parent")
    )
    domain_rank = {d.pk: rank for rank, d in enumerate(domains)}
    competences = sorted(
        Competence.objects.of(version).select_related("domain").prefetch_related("levels", "related", "alignments"),
        key=lambda c: (domain_rank[c.domain_id], c.order, c.code),
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
        status=version.status,
        based_on=version.based_on.label if version.based_on_id else "",
        based_on_codes=_codes_by_kind(version.based_on) if version.based_on_id else {},
        scale=[
            LevelData(s.value, s.label, s.descriptor, proficient=s.proficient)
            for s in ScaleLevel.objects.of(version).order_by("value")
        ],
        domains=[
            DomainData(d.code, d.title, d.description, d.order, d.replaces, parent=d.parent.code if d.parent_id else "")
            for d in domains
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
                related=sorted(r.code for r in c.related.all()),
                alignments=[
                    AlignmentData(a.relation, a.scheme, a.uri, a.code, a.title)
                    for a in sorted(c.alignments.all(), key=lambda a: (a.scheme, a.code, a.uri))
                ],
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


def _codes_by_kind(version) -> dict[str, str]:
    """Every item code of `version` with its kind (4 queries)."""
    codes: dict[str, str] = {}
    for kind, model in (("domain", Domain), ("competence", Competence), ("mission", Mission), ("activity", Activity)):
        codes |= dict.fromkeys(model.objects.of(version).values_list("code", flat=True), kind)
    return codes


# A domain tree deeper than this is refused: a bound on the work of every recursive walk, far beyond
# what frameworks use (Moodle's deepest are about 6 levels).
MAX_DOMAIN_DEPTH = 12


def domain_depths(domains: list[DomainData]) -> dict[str, int | None]:
    """Depth of each domain code (1 at the top) from the parent links; None when in or under a loop
    or under a parent that does not exist. Linear in the number of domains."""
    parents = {d.code: d.parent for d in domains}
    depths: dict[str, int | None] = {}
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        code = start
        depth: int | None
        while True:
            if code in depths:
                depth = depths[code]
                break
            if code in on_path or code not in parents:
                depth = None
                break
            parent = parents[code]
            if not parent:
                depth = depths[code] = 1
                break
            on_path.add(code)
            path.append(code)
            code = parent
        for code in reversed(path):
            depth = None if depth is None else depth + 1
            depths[code] = depth
    return depths


def framework_check(data: FrameworkData) -> list[Problem]:
    """Every problem that would stop `data` from becoming a version; empty when it is valid.

    Problems name the file's own fields (`data.field_names` maps the project's column names to them).
    """
    problems: list[Problem] = []

    def report(item, message, column=""):
        problems.append(
            Problem(
                message,
                getattr(item, "line", None),
                data.field_names.get(column, column),
                item=getattr(item, "ref", ""),
            )
        )

    def check_code(item, column="code"):
        value = item.code
        if not value:
            report(item, _("le code est obligatoire."), column)
            return False
        try:
            code_validator(value)
        except ValidationError:
            report(item, _("le code « %(code)s » n'est pas valide.") % {"code": value[:60]}, column)
            return False
        return True

    def check_title(item, name="title", limit=200):
        value = getattr(item, name) or ""
        if not str(value).strip():
            report(item, _("l'intitulé est obligatoire."), "titre")
        elif len(value) > limit:
            report(item, _("pas plus de %(limit)s caractères.") % {"limit": limit}, "titre")

    seen: dict[str, DomainData | CompetenceData | MissionData | ActivityData] = {}

    def check_unique(item):
        first = seen.get(item.code)
        if first is None:
            seen[item.code] = item
        elif first.line is not None:
            report(
                item,
                _("le code « %(code)s » est déjà utilisé (ligne %(first)s).")
                % {"code": item.code, "first": first.line},
                "code",
            )
        elif first.ref:
            report(
                item,
                _("le code « %(code)s » est déjà utilisé (élément « %(first)s »).")
                % {"code": item.code, "first": first.ref[:80]},
                "code",
            )
        else:
            report(item, _("le code « %(code)s » est déjà utilisé.") % {"code": item.code}, "code")

    values = set()
    for level in data.scale:
        if level.value in values:
            report(level, _("le niveau %(value)s est en double.") % {"value": level.value}, "code")
        values.add(level.value)
        check_title(level, "label", 60)
    if not data.scale:
        problems.append(Problem(_("l'échelle de niveaux est vide : il faut au moins un niveau.")))
    if sorted(values) != list(range(1, len(values) + 1)):
        problems.append(Problem(_("les niveaux de l'échelle doivent être numérotés 1, 2, 3… sans trou.")))

    for item in [*data.domains, *data.competences, *data.missions, *data.activities]:
        if check_code(item):
            check_unique(item)
        check_title(item)

    domain_codes = {d.code for d in data.domains}
    depths = domain_depths(data.domains)
    for domain in data.domains:
        if not domain.parent:
            continue
        if domain.parent == domain.code:
            report(domain, _("un domaine ne peut pas être son propre parent."), "parent")
        elif domain.parent not in domain_codes:
            report(domain, _("le domaine parent « %(code)s » n'existe pas.") % {"code": domain.parent[:60]}, "parent")
        elif depths.get(domain.code) is None:
            report(domain, _("les domaines parents forment une boucle."), "parent")
        elif depths[domain.code] > MAX_DOMAIN_DEPTH:
            report(
                domain,
                _("l'arborescence dépasse %(max)s niveaux de domaines.") % {"max": MAX_DOMAIN_DEPTH},
                "parent",
            )
    mission_codes = {m.code for m in data.missions}
    competence_codes = {c.code for c in data.competences}
    for competence in data.competences:
        if competence.domain not in domain_codes:
            report(competence, _("le domaine « %(code)s » n'existe pas.") % {"code": competence.domain[:60]}, "parent")
        if competence.kind not in CompetenceKind.values:
            report(
                competence,
                _("nature inconnue « %(kind)s » (savoir, savoir-faire ou savoir-etre).")
                % {"kind": competence.kind[:30]},
                "nature",
            )
        for value in competence.levels:
            if value not in values:
                report(competence, _("le niveau %(value)s n'existe pas dans l'échelle.") % {"value": value}, "niveau")
        for code in competence.related:
            if code == competence.code:
                report(competence, _("une compétence ne peut pas être liée à elle-même."), "competences")
            elif code not in competence_codes:
                report(
                    competence, _("la compétence liée « %(code)s » n'existe pas.") % {"code": code[:60]}, "competences"
                )
        if len(set(competence.related)) != len(competence.related):
            report(competence, _("une même compétence liée est citée deux fois."), "competences")
        for alignment in competence.alignments:
            for message in alignment_problems(alignment):
                report(competence, message, "correspondance")
    for activity in data.activities:
        if activity.mission not in mission_codes:
            report(activity, _("la mission « %(code)s » n'existe pas.") % {"code": activity.mission[:60]}, "parent")
        for code in activity.competences:
            if code not in competence_codes:
                report(activity, _("la compétence « %(code)s » n'existe pas.") % {"code": code[:60]}, "competences")
        if len(set(activity.competences)) != len(activity.competences):
            report(activity, _("une même compétence est citée deux fois."), "competences")
    problems += _limits_check(data, report)
    return problems


def alignment_rows(competence: Competence, alignments: list[AlignmentData]) -> list[Alignment]:
    """The rows that store `alignments` for `competence` (unsaved, for a bulk insert)."""
    return [
        Alignment(competence=competence, relation=a.relation, scheme=a.scheme, uri=a.uri, code=a.code, title=a.title)
        for a in alignments
    ]


def alignment_problems(alignment: AlignmentData) -> list[str]:
    """Why an external link cannot be stored, in French; empty when it can."""
    messages = []
    if alignment.relation not in AlignmentRelation.values:
        messages.append(
            _("relation inconnue « %(value)s » (exact ou proche).") % {"value": str(alignment.relation)[:20]}
        )
    if alignment.scheme not in AlignmentScheme.values:
        messages.append(
            _("référentiel externe inconnu « %(value)s » (esco, rome, rncp ou autre).")
            % {"value": str(alignment.scheme)[:20]}
        )
    if not (alignment.uri or alignment.code):
        messages.append(_("une correspondance externe a besoin d'une adresse (URI) ou d'un code."))
    if alignment.uri:
        try:
            URLValidator(schemes=["http", "https"])(alignment.uri)
        except ValidationError:
            messages.append(_("l'adresse « %(uri)s » n'est pas une URL http(s) valide.") % {"uri": alignment.uri[:80]})
    for name in ("uri", "code", "title"):
        message = _value_problem(getattr(alignment, name), Alignment._meta.get_field(name))
        if message:
            messages.append(message)
    return messages


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


def _limits_check(data: FrameworkData, report) -> list[Problem]:
    """Every value checked against the model field that will store it, so that saving cannot fail."""
    problems: list[Problem] = []
    for item in [*data.scale, *data.domains, *data.competences, *data.missions, *data.activities]:
        model, columns = STORED_FIELDS[type(item)]
        for name, column in columns.items():
            message = _value_problem(
                getattr(item, name), model._meta.get_field(name), check_length=name not in LENGTH_CHECKED
            )
            if message:
                report(item, message, column)
    descriptor = CompetenceLevel._meta.get_field("descriptor")
    for competence in data.competences:
        for text in competence.levels.values():
            message = _value_problem(text, descriptor)
            if message:
                report(competence, message, "niveau")
    message = _value_problem(data.summary, FrameworkVersion._meta.get_field("summary"))
    if message:
        problems.append(Problem(message, field=data.field_names.get("resume", "")))
    return problems


def framework_build(*, data: FrameworkData, version) -> None:
    """Write `data` into the (empty, draft) `version`. Call framework_check first."""
    ScaleLevel.objects.bulk_create(
        [
            ScaleLevel(version=version, value=s.value, label=s.label, descriptor=s.descriptor, proficient=s.proficient)
            for s in data.scale
        ]
    )
    # Parents first: each domain is created after the one it sits in (depth order), one query per depth.
    depths = domain_depths(data.domains)
    domains: dict[str, Domain] = {}
    for depth in sorted({depths[d.code] for d in data.domains}):
        domains |= {
            domain.code: domain
            for domain in Domain.objects.bulk_create(
                [
                    Domain(
                        version=version,
                        parent=domains[d.parent] if d.parent else None,
                        code=d.code,
                        title=d.title,
                        description=d.description,
                        order=d.order,
                        replaces=d.replaces,
                    )
                    for d in data.domains
                    if depths[d.code] == depth
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
    # The relation is symmetric: each pair is stored in both directions, whichever side the file named.
    pairs = {(competences[c.code].pk, competences[code].pk) for c in data.competences for code in c.related}
    pairs |= {(b, a) for a, b in pairs}
    related = Competence.related.through
    related.objects.bulk_create([related(from_competence_id=a, to_competence_id=b) for a, b in sorted(pairs)])
    Alignment.objects.bulk_create(
        [row for c in data.competences for row in alignment_rows(competences[c.code], c.alignments)]
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
