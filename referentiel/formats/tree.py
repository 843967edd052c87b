"""A foreign file's structure as found, then mapped onto the référentiel: a tree of source nodes, one role per level.

Moodle and CASE files carry a tree of any depth whose levels mean what their publisher decided (a Moodle
"competency" may hold indicators, a CASE "Standard" may hold "Components"). Their readers first build a
`SourceTree` (nodes with identifier, code, title, description, parent, related nodes, external alignments,
item type), then `remap()` turns it into a FrameworkData with one role per depth level:

- "auto": our own item type when the file carries it (CASE CFItemType Domaine/Compétence, our Moodle export);
  otherwise a node with children becomes a domain, a leaf a competence;
- "domaine", "competence": every node of the level;
- "description": the node is folded into its parent's description, as a bulleted line "- title: text".

Below a competence everything is folded. The curator adjusts the roles in the preview; the tree, not the file,
is kept between two previews (`tree_to_json`). The missions branch (our own exports) keeps its two levels.
"""

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from competences.enums import CompetenceKind
from competences.models import code_validator
from referentiel.formats.common import ImportResult, finish
from referentiel.framework import (
    ActivityData,
    AlignmentData,
    CompetenceData,
    DomainData,
    FrameworkData,
    LevelData,
    MissionData,
    Problem,
)

# A tree read from a 2 MB file: bounded so that the preview and the session stay small.
MAX_NODES = 5000
MAX_DEPTH = 20
TITLE_MAX = 200
# How many items each note names before "…".
NOTE_EXAMPLES = 5

ROLE_AUTO = "auto"
ROLE_DOMAIN = "domaine"
ROLE_COMPETENCE = "competence"
ROLE_DESCRIPTION = "description"
ROLE_CHOICES = [
    (ROLE_AUTO, gettext_lazy("Automatique")),
    (ROLE_DOMAIN, gettext_lazy("Domaine")),
    (ROLE_COMPETENCE, gettext_lazy("Compétence")),
    (ROLE_DESCRIPTION, gettext_lazy("Description du parent")),
]
ROLES = {value for value, _label in ROLE_CHOICES}

# Our own item types, as the files name them (CASE CFItemType, our Moodle export's marks), accents and case aside.
KIND_DOMAIN = "domain"
KIND_COMPETENCE = "competence"
KIND_MISSION = "mission"
KIND_ACTIVITY = "activity"
KIND_SCALE = "scale"  # our CASE export's item for the scale: not part of the tree
KIND_NAMES = {
    "echelle": KIND_SCALE,
    "domaine": KIND_DOMAIN,
    "domain": KIND_DOMAIN,
    "competence": KIND_COMPETENCE,
    "competency": KIND_COMPETENCE,
    "mission": KIND_MISSION,
    "activite": KIND_ACTIVITY,
    "activity": KIND_ACTIVITY,
}


def _folded(label) -> str:
    if not isinstance(label, str):
        return ""
    return unicodedata.normalize("NFKD", label.strip().lower()).encode("ascii", "ignore").decode()


def kind_of(label) -> str:
    """Our item type named by `label` ("Compétence", "activite", "Domain"…), or ""."""
    return KIND_NAMES.get(_folded(label), "")


# The item types our own exports write (CASE CFItemType, in French): trusted as they are.
OWN_TYPE_NAMES = {"domaine", "competence", "mission", "activite", "echelle"}


def own_kind(label) -> str:
    """The kind of an item typed by our own exports, or "" (other tools' names go through kinds_from_types)."""
    return KIND_NAMES.get(_folded(label), "") if _folded(label) in OWN_TYPE_NAMES else ""


# How other tools name the levels of a framework: Moodle's taxonomy terms, CASE publishers' CFItemType.
# A level named so is a domain or a competence by default in the preview; anything under a competence
# is folded into its description (an "indicator", a "component").
TYPE_SYNONYMS = {
    "cluster": KIND_DOMAIN,
    "strand": KIND_DOMAIN,
    "category": KIND_DOMAIN,
    "categorie": KIND_DOMAIN,
    "area": KIND_DOMAIN,
    "skill": KIND_COMPETENCE,
    "standard": KIND_COMPETENCE,
    "outcome": KIND_COMPETENCE,
    "learning outcome": KIND_COMPETENCE,
    "proficiency": KIND_COMPETENCE,
    "behaviour": KIND_COMPETENCE,
    "behavior": KIND_COMPETENCE,
}


def kinds_from_types(tree: "SourceTree") -> None:
    """Give each node whose file names its type (and that has no kind of ours) the kind that name means.

    Only the deepest level named as competences keeps that kind: a file naming every level "competency"
    would otherwise fold all but its top level into descriptions; shallower ones stay automatic.
    """
    named: dict[str, str] = {}
    for node in tree.nodes:
        if not node.kind and node.type_label:
            kind = kind_of(node.type_label) or TYPE_SYNONYMS.get(_folded(node.type_label), "")
            if kind in (KIND_DOMAIN, KIND_COMPETENCE):
                named[node.id] = kind
    deepest = max((n.depth for n in tree.nodes if named.get(n.id) == KIND_COMPETENCE), default=0)
    for node in tree.nodes:
        kind = named.get(node.id, "")
        if kind == KIND_DOMAIN or (kind == KIND_COMPETENCE and node.depth == deepest):
            node.kind = kind


@dataclass
class SourceNode:
    """An item of the file, before it is given a role."""

    id: str  # its identifier in the file (Moodle ID number, CASE identifier)
    title: str  # the full statement
    code: str = ""  # the code the file gives it (Moodle ID number, CASE humanCodingScheme), maybe not valid here
    description: str = ""
    parent: str = ""  # the parent's id; "" at the top
    order: int = 0
    kind: str = ""  # KIND_*: our own item type when the file says it
    type_label: str = ""  # the item type as the file names it (CFItemType, Moodle taxonomy), for the preview
    short_title: str = ""  # a shorter statement the file offers (CASE abbreviatedStatement)
    related: list[str] = field(default_factory=list)  # ids of related nodes of the file
    alignments: list[dict] = field(default_factory=list)  # AlignmentData fields: links outside the file
    replaces: str = ""  # the code of the item this one replaces
    competence_kind: str = ""  # CompetenceKind when the file says it
    transversal: bool = False
    levels: dict[str, str] = field(default_factory=dict)  # the competence's level descriptors, by value
    line: int | None = None
    ref: str = ""  # where to find it in a file without lines (a CASE identifier)
    children: list[str] = field(default_factory=list)  # set by link_nodes(), in order
    depth: int = 0  # set by link_nodes(): 1 at the top


@dataclass
class SourceTree:
    format: str
    name: str = ""  # the framework's name in the file
    summary: str = ""
    scale: list[LevelData] = field(default_factory=list)
    nodes: list[SourceNode] = field(default_factory=list)  # in file order
    field_names: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what reading the file left aside
    problems: list[Problem] = field(default_factory=list)  # found while reading: kept through every remap


@dataclass
class LevelInfo:
    """A depth level of the tree, as the preview shows it."""

    depth: int
    count: int
    samples: list[str]
    types: list[str]
    default_role: str

    @property
    def field_name(self) -> str:
        return f"niveau_{self.depth}"


# --- Building the tree -------------------------------------------------------------------------------------


def link_nodes(tree: SourceTree, *, parent_field: str) -> None:
    """Children and depth of every node, from parent links; a missing parent, a loop or too deep is a problem.

    Linear in the number of nodes, without recursion. A node in trouble is set at the top, its problem kept, so
    that the tree stays a tree whatever the file says.
    """
    by_id = {node.id: node for node in tree.nodes}

    def problem(node, message):
        tree.problems.append(Problem(message, node.line, parent_field, item=node.ref))

    for node in tree.nodes:
        if node.parent and node.parent not in by_id:
            problem(node, _("le parent « %(code)s » n'existe pas.") % {"code": node.parent[:80]})
            node.parent = ""
    # 1: on the path being walked up; 2: done, reaches the top; 3: done, in or under a loop.
    state: dict[str, int] = {}
    for start in tree.nodes:
        path: list[str] = []
        current = start.id
        while current and current not in state:
            state[current] = 1
            path.append(current)
            current = by_id[current].parent
        outcome = 3 if current and state[current] in (1, 3) else 2
        for node_id in path:
            state[node_id] = outcome
    looped = [node for node in tree.nodes if state[node.id] == 3]
    for node in looped:
        problem(node, _("les parents forment une boucle."))
        node.parent = ""
    _set_children_and_depth(tree, by_id)
    too_deep = [node for node in tree.nodes if node.depth > MAX_DEPTH]
    for node in too_deep:
        problem(node, _("profondeur non prise en charge : %(max)s niveaux au plus.") % {"max": MAX_DEPTH})
        node.parent = ""
    if too_deep:
        _set_children_and_depth(tree, by_id)


def _set_children_and_depth(tree: SourceTree, by_id: dict[str, SourceNode]) -> None:
    position = {node.id: index for index, node in enumerate(tree.nodes)}
    for node in tree.nodes:
        node.children = []
    for node in tree.nodes:
        if node.parent:
            by_id[node.parent].children.append(node.id)
    for node in tree.nodes:
        node.children.sort(key=lambda child: (by_id[child].order, position[child]))
    for node in _preorder(tree):
        node.depth = by_id[node.parent].depth + 1 if node.parent else 1


def _preorder(tree: SourceTree) -> list[SourceNode]:
    """Every node, parents before children, siblings in order (iterative: any depth)."""
    by_id = {node.id: node for node in tree.nodes}
    position = {node.id: index for index, node in enumerate(tree.nodes)}
    roots = sorted((node for node in tree.nodes if not node.parent), key=lambda n: (n.order, position[n.id]))
    result: list[SourceNode] = []
    stack = list(reversed(roots))
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if node.id in seen:
            continue
        seen.add(node.id)
        result.append(node)
        stack.extend(by_id[child] for child in reversed(node.children) if child in by_id)
    return result


# --- Text helpers shared by the readers ---------------------------------------------------------------------


def one_line(text: str) -> str:
    return " ".join(str(text or "").split())


def cut_title(text: str, limit: int = TITLE_MAX) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters, "…" marking the cut."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:.-") + "…"


def valid_code(value: str) -> bool:
    try:
        code_validator(value)
    except ValidationError:
        return False
    return True


def _slug(value: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")
    return slug[:40].rstrip("-._")


UUID_LIKE = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def derived_code(node_id: str, source_code: str, prefix: str) -> str:
    """A code that validates, derived from the file's code or, failing it, from the identifier (stable)."""
    for candidate in (source_code, "" if UUID_LIKE.match(node_id) else node_id):
        slug = _slug(candidate) if candidate else ""
        if slug and valid_code(slug):
            return slug
    return f"{prefix}-{hashlib.sha1(node_id.encode()).hexdigest()[:8].upper()}"  # noqa: S324 - not for security


def guess_scheme(uri: str) -> str:
    """The external framework of a URI: ESCO, ROME (France Travail), RNCP (France compétences), else "autre"."""
    lowered = uri.lower()
    if "data.europa.eu/esco" in lowered or "/esco/" in lowered:
        return "esco"
    if re.search(r"francetravail|pole-emploi|(^|[/.:#=_-])rome([/.:#=_-]|\d|$)", lowered):
        return "rome"
    if "francecompetences" in lowered or "rncp" in lowered:
        return "rncp"
    return "autre"


def alignment(relation: str, *, uri: str = "", identifier: str = "", title: str = "") -> dict:
    """An AlignmentData's fields for a link to `uri` outside the file, each value cut to what the model stores."""
    uri = uri.strip() if isinstance(uri, str) else ""
    web = uri if re.match(r"^https?://\S+$", uri) and len(uri) <= 500 else ""
    last = re.split(r"[/#]", uri.rstrip("/"))[-1] if uri else ""
    code = next((c for c in (last, str(identifier or "")) if re.match(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$", c)), "")
    if not web and not code:
        code = (uri or str(identifier or ""))[:80]
    return {
        "relation": relation,
        "scheme": guess_scheme(uri or str(identifier or "")),
        "uri": web,
        "code": code,
        "title": one_line(title)[:300] if isinstance(title, str) else "",
    }


def count_note(counts: dict[str, int], singular: str, plural: str) -> list[str]:
    """One note per counted type, e.g. "3 associations de type « precedes » non reprises"."""
    return [ngettext(singular, plural, n) % {"count": n, "type": kind} for kind, n in sorted(counts.items())]


def _examples(pairs: list[str]) -> str:
    shown = ", ".join(pairs[:NOTE_EXAMPLES])
    return shown + ("…" if len(pairs) > NOTE_EXAMPLES else "")


# --- The levels and their roles -----------------------------------------------------------------------------


def _missions_branch(tree: SourceTree) -> set[str]:
    """Ids of our own missions (at the top) and of everything under them: they keep their two levels."""
    branch: set[str] = set()
    for node in _preorder(tree):
        if (node.kind == KIND_MISSION and not node.parent) or (node.parent and node.parent in branch):
            branch.add(node.id)
    return branch


def tree_levels(tree: SourceTree) -> list[LevelInfo]:
    """The depth levels of the competences' tree, with what the preview shows of each."""
    missions = _missions_branch(tree)
    by_depth: dict[int, list[SourceNode]] = {}
    for node in tree.nodes:
        if node.id not in missions:
            by_depth.setdefault(node.depth, []).append(node)
    levels = []
    for depth in sorted(by_depth):
        nodes = by_depth[depth]
        kinds = {node.kind for node in nodes}
        default = {KIND_DOMAIN: ROLE_DOMAIN, KIND_COMPETENCE: ROLE_COMPETENCE}.get(next(iter(kinds)), ROLE_AUTO)
        if len(kinds) != 1:
            default = ROLE_AUTO
        types = []
        for node in nodes:
            if node.type_label and node.type_label not in types:
                types.append(node.type_label[:40])
        levels.append(
            LevelInfo(
                depth=depth,
                count=len(nodes),
                samples=[cut_title(node.title, 80) for node in nodes[:3]],
                types=types[:4],
                default_role=default,
            )
        )
    return levels


def roles_problems(roles: dict[int, str], levels: list[LevelInfo]) -> list[Problem]:
    """Whether the roles chosen for the levels make a référentiel: domains above competences, folds below."""
    problems = []
    competence_level = None
    for level in levels:
        role = roles.get(level.depth, level.default_role)
        if role not in ROLES:
            problems.append(
                Problem(_("niveau %(depth)s : rôle inconnu « %(role)s ».") % {"depth": level.depth, "role": role[:20]})
            )
        elif role == ROLE_DESCRIPTION and level.depth == 1:
            problems.append(
                Problem(
                    _(
                        "niveau 1 : il ne peut pas être replié en description, il n'a pas de niveau au-dessus. "
                        "Choisissez « Domaine », « Compétence » ou « Automatique »."
                    )
                )
            )
        elif role in (ROLE_DOMAIN, ROLE_COMPETENCE) and competence_level is not None:
            problems.append(
                Problem(
                    _(
                        "niveau %(depth)s : il est sous le niveau %(above)s, rangé en compétences ; une compétence "
                        "ne contient ni domaine ni compétence. Choisissez « Description » ou « Automatique » pour ce "
                        "niveau (ses éléments sont alors repliés dans la description de leur compétence)."
                    )
                    % {"depth": level.depth, "above": competence_level}
                )
            )
        if role == ROLE_COMPETENCE and competence_level is None:
            competence_level = level.depth
    return problems


def parse_roles(values: dict, levels: list[LevelInfo]) -> dict[int, str]:
    """Roles from "niveau_<depth>" → role pairs (a form's data); a level not given keeps its default."""
    roles = {}
    for level in levels:
        value = values.get(level.field_name)
        roles[level.depth] = value if isinstance(value, str) and value else level.default_role
    return roles


# --- The mapping ------------------------------------------------------------------------------------------


class _Codes:
    """Codes handed out once each: the file's own when valid and free, else derived (and said so)."""

    def __init__(self):
        self.used: set[str] = set()
        self.generated: list[str] = []

    def take(self, node: SourceNode, prefix: str) -> str:
        code = node.code.strip()
        if code and valid_code(code) and code not in self.used:
            self.used.add(code)
            return code
        candidate = derived_code(node.id, code, prefix)
        base, number = candidate, 1
        while candidate in self.used:
            number += 1
            suffix = f"-{number}"
            candidate = base[: 40 - len(suffix)] + suffix
        self.used.add(candidate)
        self.generated.append(f"« {(code or node.id)[:40]} » → {candidate}")
        return candidate

    def fresh(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self.used:
            number += 1
            candidate = f"{wanted[:36]}-{number}"
        self.used.add(candidate)
        return candidate


def remap_read(read: "SourceTree | ImportResult") -> ImportResult:
    """A reader's tree mapped with the default roles, or the reader's refusal as it is."""
    return read if isinstance(read, ImportResult) else remap(read)


def remap(tree: SourceTree, roles: dict[int, str] | None = None, scale: list[LevelData] | None = None) -> ImportResult:
    """The FrameworkData the tree gives with `roles` per depth (defaults where not given).

    `scale` is used when the file has none (the curator's choice). Every problem found while reading the
    file is part of the result, then those of the roles, then framework_check's.
    """
    levels = tree_levels(tree)
    chosen = {level.depth: (roles or {}).get(level.depth, level.default_role) for level in levels}
    problems = list(tree.problems)
    role_problems = roles_problems(chosen, levels)
    if role_problems:
        return ImportResult(
            FrameworkData(field_names=dict(tree.field_names)),
            problems + role_problems,
            levels=levels,
            roles=chosen,
            notes=list(tree.notes),
            tree=tree,
        )
    data, notes = _build(tree, chosen)
    data.scale = [LevelData(**asdict(level)) for level in (tree.scale or scale or [])]
    result = finish(data, problems)
    result.levels, result.roles, result.notes, result.tree = levels, chosen, list(tree.notes) + notes, tree
    return result


def _build(tree: SourceTree, roles: dict[int, str]) -> tuple[FrameworkData, list[str]]:
    by_id = {node.id: node for node in tree.nodes}
    missions = _missions_branch(tree)
    outcome: dict[str, str] = {}  # id → domain / competence / mission / activity / folded
    host: dict[str, str] = {}  # folded id → the id whose description receives it
    folded_lines: dict[str, list[str]] = {}
    for node in _preorder(tree):
        parent = by_id.get(node.parent)
        if node.id in missions:
            if not parent:
                outcome[node.id] = KIND_MISSION
            elif outcome[parent.id] == KIND_MISSION:
                outcome[node.id] = KIND_ACTIVITY
            else:
                outcome[node.id] = "folded"
                host[node.id] = parent.id if outcome[parent.id] == KIND_ACTIVITY else host[parent.id]
        else:
            role = roles.get(node.depth, ROLE_AUTO)
            if parent and outcome[parent.id] in (KIND_COMPETENCE, "folded"):
                outcome[node.id] = "folded"
                host[node.id] = parent.id if outcome[parent.id] == KIND_COMPETENCE else host[parent.id]
            elif role == ROLE_DESCRIPTION and parent:
                outcome[node.id] = "folded"
                host[node.id] = parent.id
            elif role == ROLE_DOMAIN:
                outcome[node.id] = KIND_DOMAIN
            elif role == ROLE_COMPETENCE:
                outcome[node.id] = KIND_COMPETENCE
            elif node.kind in (KIND_DOMAIN, KIND_COMPETENCE):
                outcome[node.id] = node.kind
            else:
                outcome[node.id] = KIND_DOMAIN if node.children else KIND_COMPETENCE
        if outcome[node.id] == "folded":
            target = by_id[host[node.id]]
            indent = "  " * max(node.depth - target.depth - 1, 0)
            text = one_line(node.description)
            folded_lines.setdefault(target.id, []).append(
                f"{indent}- {one_line(node.title)}" + (f" : {text}" if text else "")
            )

    notes: list[str] = []
    codes = _Codes()
    code_of: dict[str, str] = {}
    long_titles = 0

    def texts(node: SourceNode) -> tuple[str, str]:
        nonlocal long_titles
        title = one_line(node.title)
        description = node.description.strip()
        if len(title) > TITLE_MAX:
            long_titles += 1
            short = one_line(node.short_title)
            full = node.title.strip()
            title = short if 0 < len(short) <= TITLE_MAX and short != title else cut_title(title)
            description = f"{full}\n{description}" if description else full
        if folded_lines.get(node.id):
            description = (description + "\n" if description else "") + "\n".join(folded_lines[node.id])
        return title, description

    prefixes = {KIND_DOMAIN: "D", KIND_COMPETENCE: "C", KIND_MISSION: "M", KIND_ACTIVITY: "A"}
    for node in tree.nodes:
        if outcome[node.id] in prefixes:
            code_of[node.id] = codes.take(node, prefixes[outcome[node.id]])

    data = FrameworkData(summary=tree.summary, field_names=dict(tree.field_names))
    top_domain = ""
    if any(outcome[n.id] == KIND_COMPETENCE and not n.parent for n in tree.nodes):
        name = cut_title(tree.name) or _("Référentiel importé")
        top_domain = codes.fresh(_slug(tree.name) if valid_code(_slug(tree.name)) else "DOMAINE")
        data.domains.append(DomainData(top_domain, name, order=0))
        orphans = sum(1 for n in tree.nodes if outcome[n.id] == KIND_COMPETENCE and not n.parent)
        notes.append(
            ngettext(
                "%(count)s compétence placée au premier niveau du fichier est rangée dans un domaine « %(name)s » "
                "créé pour l'import (code %(code)s).",
                "%(count)s compétences placées au premier niveau du fichier sont rangées dans un domaine "
                "« %(name)s » créé pour l'import (code %(code)s).",
                orphans,
            )
            % {"count": orphans, "name": name, "code": top_domain}
        )

    competence_position: dict[str, int] = {}
    pairs: set[tuple[str, str]] = set()
    for node in tree.nodes:
        for other in node.related:
            if other in by_id and other != node.id:
                pairs.add((node.id, other))
                pairs.add((other, node.id))
    related: dict[str, set[str]] = {}
    dropped_related = 0
    for origin, target in pairs:
        kinds = (outcome[origin], outcome.get(target))
        if kinds == (KIND_COMPETENCE, KIND_COMPETENCE) or kinds == (KIND_ACTIVITY, KIND_COMPETENCE):
            related.setdefault(origin, set()).add(code_of[target])
        elif kinds not in ((KIND_COMPETENCE, KIND_ACTIVITY),) and origin < target:
            dropped_related += 1
    dropped_alignments = 0
    dropped_levels = 0
    position = {node.id: index for index, node in enumerate(tree.nodes)}
    # The snapshot's order: domains as a tree (each after its parent), competences by domain, then order.
    for node in _preorder(tree):
        kind = outcome[node.id]
        if kind != KIND_COMPETENCE:
            dropped_alignments += len(node.alignments)
            dropped_levels += 1 if node.levels else 0
        if kind not in prefixes:
            continue
        title, description = texts(node)
        code = code_of[node.id]
        replaces = node.replaces if node.replaces and valid_code(node.replaces) else ""
        if kind == KIND_DOMAIN:
            data.domains.append(
                DomainData(
                    code,
                    title,
                    description,
                    node.order,
                    replaces,
                    node.line,
                    node.ref,
                    parent=code_of.get(node.parent, ""),
                )
            )
        elif kind == KIND_COMPETENCE:
            levels = {}
            for value, text in node.levels.items():
                try:
                    levels[int(value)] = text
                except (TypeError, ValueError):
                    continue
            data.competences.append(
                CompetenceData(
                    code,
                    code_of.get(node.parent, top_domain) if node.parent else top_domain,
                    title,
                    description,
                    node.competence_kind or CompetenceKind.SKILL,
                    node.transversal,
                    node.order,
                    replaces,
                    dict(sorted(levels.items())),
                    node.line,
                    node.ref,
                    related=sorted(related.get(node.id, ())),
                    alignments=_alignments(node.alignments),
                )
            )
            competence_position[code] = position[node.id]
        elif kind == KIND_MISSION:
            data.missions.append(MissionData(code, title, description, node.order, replaces, node.line, node.ref))
        else:
            data.activities.append(
                ActivityData(
                    code,
                    code_of[node.parent],
                    title,
                    description,
                    node.order,
                    replaces,
                    sorted(related.get(node.id, ())),
                    node.line,
                    node.ref,
                )
            )
    domain_rank = {domain.code: rank for rank, domain in enumerate(data.domains)}
    data.competences.sort(key=lambda c: (domain_rank.get(c.domain, 0), c.order, competence_position[c.code]))
    folded = sum(1 for kind in outcome.values() if kind == "folded")
    if folded:
        notes.append(
            ngettext(
                "%(count)s élément est repris comme ligne de la description de son parent.",
                "%(count)s éléments sont repris comme lignes de la description de leur parent.",
                folded,
            )
            % {"count": folded}
        )
    if codes.generated:
        notes.append(
            ngettext(
                "%(count)s code généré (absent, non valide ou en double dans le fichier) : %(examples)s.",
                "%(count)s codes générés (absents, non valides ou en double dans le fichier) : %(examples)s.",
                len(codes.generated),
            )
            % {"count": len(codes.generated), "examples": _examples(codes.generated)}
        )
    if long_titles:
        notes.append(
            ngettext(
                "%(count)s intitulé dépasse %(max)s caractères : le texte entier est repris en tête de la description.",
                "%(count)s intitulés dépassent %(max)s caractères : le texte entier est repris en tête de la "
                "description.",
                long_titles,
            )
            % {"count": long_titles, "max": TITLE_MAX}
        )
    if dropped_related:
        notes.append(
            ngettext(
                "%(count)s lien entre éléments qui ne sont pas deux compétences (ou une activité et une compétence) "
                "n'est pas repris.",
                "%(count)s liens entre éléments qui ne sont pas deux compétences (ou une activité et une compétence) "
                "ne sont pas repris.",
                dropped_related,
            )
            % {"count": dropped_related}
        )
    if dropped_alignments:
        notes.append(
            ngettext(
                "%(count)s correspondance externe d'un élément qui n'est pas une compétence n'est pas reprise.",
                "%(count)s correspondances externes d'éléments qui ne sont pas des compétences ne sont pas reprises.",
                dropped_alignments,
            )
            % {"count": dropped_alignments}
        )
    if dropped_levels:
        notes.append(
            ngettext(
                "Les descripteurs de niveaux de %(count)s élément qui n'est pas une compétence ne sont pas repris.",
                "Les descripteurs de niveaux de %(count)s éléments qui ne sont pas des compétences ne sont pas repris.",
                dropped_levels,
            )
            % {"count": dropped_levels}
        )
    return data, notes


def _alignments(values: list[dict]) -> list[AlignmentData]:
    """The node's external links, each once, in the snapshot's order."""
    found: dict[tuple, AlignmentData] = {}
    for value in values:
        item = AlignmentData(
            **{name: str(value.get(name) or "") for name in ("relation", "scheme", "uri", "code", "title")}
        )
        found.setdefault((item.relation, item.scheme, item.uri, item.code), item)
    return sorted(found.values(), key=lambda a: (a.scheme, a.code, a.uri))


# --- Keeping the tree between two previews ------------------------------------------------------------------


_NODE_DEFAULTS = asdict(SourceNode(id="", title=""))


def tree_to_json(tree: SourceTree) -> dict:
    """The tree as JSON-serialisable values (for the session), each node without its default values."""
    payload = asdict(tree)
    payload["nodes"] = [
        {key: value for key, value in node.items() if key in ("id", "title") or value != _NODE_DEFAULTS[key]}
        for node in payload["nodes"]
    ]
    return payload


def _make(cls, values: dict):
    names = {f.name for f in fields(cls)}
    return cls(**{key: value for key, value in values.items() if key in names})


def tree_from_json(payload: dict) -> SourceTree:
    """The tree kept by tree_to_json()."""
    tree = _make(SourceTree, payload)
    tree.scale = [_make(LevelData, level) for level in payload.get("scale", [])]
    tree.nodes = [_make(SourceNode, node) for node in payload.get("nodes", [])]
    tree.problems = [_make(Problem, problem) for problem in payload.get("problems", [])]
    return tree


def scale_from_lines(text: str) -> list[LevelData]:
    """A scale typed one level per line (or separated by ";"), lowest first; blank lines skipped."""
    labels = [one_line(part) for part in re.split(r"[\n;]", text or "")]
    return [LevelData(value, label) for value, label in enumerate((lb for lb in labels if lb), start=1)]
