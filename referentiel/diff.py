"""What changed between two versions of the référentiel, item by item and field by field."""

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from competences.enums import AlignmentRelation, AlignmentScheme, CompetenceKind
from referentiel.framework import FrameworkData

KINDS = {
    "mission": _("Mission"),
    "activity": _("Activité"),
    "domain": _("Domaine"),
    "competence": _("Compétence"),
    "level": _("Niveau de l'échelle"),
}

# kind → (attribute in FrameworkData, parent attribute, compared fields with their labels, text fields)
_SPECS = {
    "mission": ("missions", None, {"title": _("intitulé"), "purpose": _("finalité"), "order": _("ordre")}),
    "activity": (
        "activities",
        "mission",
        {
            "title": _("intitulé"),
            "description": _("description"),
            "mission": _("mission"),
            "order": _("ordre"),
            "competences": _("compétences mobilisées"),
        },
    ),
    "domain": (
        "domains",
        "parent",
        {
            "title": _("intitulé"),
            "description": _("description"),
            "parent": _("domaine parent"),
            "order": _("ordre"),
        },
    ),
    "competence": (
        "competences",
        "domain",
        {
            "title": _("intitulé"),
            "description": _("description"),
            "domain": _("domaine"),
            "order": _("ordre"),
            "kind": _("nature"),
            "transversal": _("transversale"),
            "levels": _("descripteurs de niveau"),
            "related": _("compétences liées"),
            "alignments": _("correspondances externes"),
        },
    ),
    "level": (
        "scale",
        None,
        {"label": _("intitulé"), "descriptor": _("descripteur"), "proficient": _("niveau de maîtrise")},
    ),
}
_TEXT_FIELDS = {"title", "description", "purpose", "label", "descriptor"}


@dataclass
class FieldChange:
    name: str
    label: str
    old: object
    new: object
    is_text: bool = False
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)


@dataclass
class ItemChange:
    kind: str
    code: str
    title: str
    status: str  # added, removed, changed
    fields: list[FieldChange] = field(default_factory=list)
    renamed: bool = False
    moved: bool = False
    replaces: str = ""
    replaced_by: str = ""

    @property
    def kind_label(self):
        return KINDS[self.kind]


@dataclass
class FrameworkDiff:
    old_label: str
    new_label: str
    changes: list[ItemChange]

    def __bool__(self):
        return bool(self.changes)

    def by_status(self, status: str) -> list[ItemChange]:
        return [c for c in self.changes if c.status == status]

    @property
    def added(self):
        return self.by_status("added")

    @property
    def removed(self):
        return self.by_status("removed")

    @property
    def changed(self):
        return self.by_status("changed")

    @property
    def renamed(self):
        return [c for c in self.changes if c.renamed]

    @property
    def moved(self):
        return [c for c in self.changes if c.moved]


def _key(kind, item):
    return str(item.value) if kind == "level" else item.code


def _display(value, name):
    if name == "kind":
        return str(CompetenceKind(value).label) if value in CompetenceKind.values else value
    if name in ("transversal", "proficient"):
        return str(_("oui") if value else _("non"))
    if name == "parent":
        return value or str(_("(premier niveau)"))
    return value


def _alignment_lines(alignments) -> str:
    """One line per external link, for a word diff."""
    relations, schemes = dict(AlignmentRelation.choices), dict(AlignmentScheme.choices)
    return "\n".join(
        " ".join(
            part
            for part in (
                str(relations.get(a.relation, a.relation)),
                str(schemes.get(a.scheme, a.scheme)),
                a.code,
                a.uri,
                f"« {a.title} »" if a.title else "",
            )
            if part
        )
        for a in alignments
    )


def _reordered(kind, parent, before: dict, after: dict) -> set[str]:
    """Codes whose place among their siblings changed, beyond the shifts caused by additions or removals.

    Within each parent, the items kept in both versions form two sequences; those outside the
    longest common subsequence are the ones that moved.
    """
    if kind == "level":
        return set()

    def sequences(items):
        by_parent: dict[str, list] = {}
        for code, item in items.items():
            if code in before and code in after:
                by_parent.setdefault(getattr(item, parent) if parent else "", []).append((item.order, code))
        return {key: [code for _order, code in sorted(values)] for key, values in by_parent.items()}

    old_sequences, new_sequences = sequences(before), sequences(after)
    moved = set()
    for key, new_codes in new_sequences.items():
        old_codes = [code for code in old_sequences.get(key, []) if code in set(new_codes)]
        kept = set()
        matcher = SequenceMatcher(a=old_codes, b=new_codes, autojunk=False)
        for block in matcher.get_matching_blocks():
            kept.update(new_codes[block.b : block.b + block.size])
        moved.update(code for code in new_codes if code not in kept and code in old_codes)
    return moved


def framework_diff(old: FrameworkData, new: FrameworkData) -> FrameworkDiff:
    """Added, removed and changed items from `old` to `new`, matched by their stable code."""
    changes: list[ItemChange] = []
    for kind, (attribute, parent, fields) in _SPECS.items():
        before = {_key(kind, i): i for i in getattr(old, attribute)}
        after = {_key(kind, i): i for i in getattr(new, attribute)}
        replaced_by = {i.replaces: code for code, i in after.items() if getattr(i, "replaces", "")}
        reordered = _reordered(kind, parent, before, after)
        for code, item in after.items():
            title = item.label if kind == "level" else item.title
            if code not in before:
                changes.append(ItemChange(kind, code, title, "added", replaces=getattr(item, "replaces", "")))
                continue
            previous = before[code]
            field_changes = []
            for name, label in fields.items():
                old_value, new_value = getattr(previous, name), getattr(item, name)
                if old_value == new_value or (name == "order" and code not in reordered):
                    continue
                change = FieldChange(name, str(label), _display(old_value, name), _display(new_value, name))
                change.is_text = name in _TEXT_FIELDS
                if name in ("competences", "related"):
                    change.added = sorted(set(new_value) - set(old_value))
                    change.removed = sorted(set(old_value) - set(new_value))
                if name == "levels":
                    change.old = "\n".join(f"{k}. {v}" for k, v in sorted(old_value.items()))
                    change.new = "\n".join(f"{k}. {v}" for k, v in sorted(new_value.items()))
                    change.is_text = True
                if name == "alignments":
                    change.old, change.new = _alignment_lines(old_value), _alignment_lines(new_value)
                    change.is_text = True
                field_changes.append(change)
            if field_changes:
                names = {c.name for c in field_changes}
                changes.append(
                    ItemChange(
                        kind,
                        code,
                        title,
                        "changed",
                        field_changes,
                        renamed="title" in names or "label" in names,
                        moved=bool(names & {"order", parent}),
                    )
                )
        for code, item in before.items():
            if code not in after:
                title = item.label if kind == "level" else item.title
                changes.append(ItemChange(kind, code, title, "removed", replaced_by=replaced_by.get(code, "")))
    return FrameworkDiff(old.label, new.label, changes)
