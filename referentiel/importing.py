"""The import's preview, shared by the import page and the `import_referentiel` command.

A file is read by its format's reader. A foreign format (Moodle, CASE) gives a tree whose levels the curator
maps (tree.py): `preview()` maps it again with the roles chosen per level and, when the file has no scale,
with the scale chosen — the published version's, or one typed one level per line. The project's own CSV and
XLSX carry their domains' parents themselves: no mapping, the result is the preview.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from competences.models import FrameworkVersion, ScaleLevel, label_validator
from referentiel.formats.common import ImportResult
from referentiel.formats.tree import ROLE_CHOICES, SourceTree, remap, scale_from_lines
from referentiel.framework import LevelData, Problem

SCALE_PUBLISHED = "publiee"
SCALE_TYPED = "saisie"
SCALE_CHOICES = [
    (SCALE_PUBLISHED, gettext_lazy("Reprendre l'échelle de la version publiée")),
    (SCALE_TYPED, gettext_lazy("Saisir les niveaux, un par ligne")),
]


@dataclass
class ImportChoices:
    """What the curator chose in the preview: a role per level, and a scale when the file has none."""

    roles: dict[int, str] = field(default_factory=dict)
    scale: str = ""  # "" (none yet), SCALE_PUBLISHED or SCALE_TYPED
    scale_levels: str = ""  # the levels typed, one per line

    def to_json(self) -> dict:
        return {"roles": {str(depth): role for depth, role in self.roles.items()}, "scale": self.scale,
                "scale_levels": self.scale_levels}  # fmt: skip

    @classmethod
    def from_json(cls, payload: dict) -> "ImportChoices":
        roles = {}
        for depth, role in (payload.get("roles") or {}).items():
            try:
                roles[int(depth)] = str(role)
            except (TypeError, ValueError):
                continue
        return cls(roles, str(payload.get("scale") or ""), str(payload.get("scale_levels") or ""))


def published_scale() -> list[LevelData]:
    """The scale of the published version (empty when none is published)."""
    current = FrameworkVersion.objects.current()
    if current is None:
        return []
    return [
        LevelData(level.value, level.label, level.descriptor, proficient=level.proficient)
        for level in ScaleLevel.objects.of(current).order_by("value")
    ]


def chosen_scale(choices: ImportChoices) -> tuple[list[LevelData] | None, list[Problem]]:
    """The scale the curator chose for a file without one, or None when nothing is chosen yet."""
    if choices.scale == SCALE_PUBLISHED:
        scale = published_scale()
        if not scale:
            return None, [Problem(_("Aucune version n'est publiée : saisissez les niveaux de l'échelle."))]
        return scale, []
    if choices.scale == SCALE_TYPED:
        scale = scale_from_lines(choices.scale_levels)
        if not scale:
            return None, [Problem(_("Saisissez au moins un niveau de l'échelle, un par ligne."))]
        return scale, []
    return None, []


def preview(tree: SourceTree, choices: ImportChoices) -> ImportResult:
    """The tree mapped with the curator's choices: what the draft would hold, and every problem."""
    scale, problems = (None, []) if tree.scale else chosen_scale(choices)
    result = remap(tree, choices.roles, scale)
    if not tree.scale and scale is None:
        # framework_check already says the scale is empty: say what to do about it.
        result.problems = [
            Problem(
                _(
                    "le fichier ne contient pas d'échelle de niveaux : choisissez celle de la version publiée ou "
                    "saisissez les niveaux, un par ligne."
                ),
                field=tree.field_names.get("niveau", ""),
            ),
            *(
                p
                for p in result.problems
                if p.message != _("l'échelle de niveaux est vide : il faut au moins un niveau.")
            ),
        ]
    result.problems = problems + result.problems
    return result


def label_problems(label: str) -> list[Problem]:
    """Why a draft of that label cannot be created now (same checks as the service, said at preview)."""
    problems = []
    try:
        label_validator(label)
    except ValidationError as error:
        problems += [Problem(str(message)) for message in error.messages]
    if FrameworkVersion.objects.filter(label=label).exists():
        problems.append(Problem(_("Une version « %(label)s » existe déjà.") % {"label": label}))
    if FrameworkVersion.objects.drafts().exists():
        problems.append(Problem(_("Un brouillon est déjà en cours : publiez-le ou supprimez-le d'abord.")))
    return problems


def role_label(role: str) -> str:
    return str(dict(ROLE_CHOICES).get(role, role))


def summary_lines(result: ImportResult) -> list[str]:
    """The preview as lines of text (the command prints them; the page shows the same in HTML)."""
    data = result.data
    lines = []
    if result.levels:
        lines.append(_("Niveaux trouvés dans le fichier :"))
        for level in result.levels:
            role = result.roles.get(level.depth, level.default_role)
            types = f" [{', '.join(level.types)}]" if level.types else ""
            lines.append(
                ngettext(
                    "  niveau %(depth)s : %(count)s élément%(types)s → %(role)s (ex. : %(samples)s)",
                    "  niveau %(depth)s : %(count)s éléments%(types)s → %(role)s (ex. : %(samples)s)",
                    level.count,
                )
                % {
                    "depth": level.depth,
                    "count": level.count,
                    "types": types,
                    "role": role_label(role),
                    "samples": " ; ".join(level.samples),
                }
            )
    lines.append(
        _(
            "Contenu : %(scale)s niveau(x) d'échelle, %(domains)s domaine(s), %(competences)s compétence(s), "
            "%(missions)s mission(s), %(activities)s activité(s)."
        )
        % {
            "scale": len(data.scale),
            "domains": len(data.domains),
            "competences": len(data.competences),
            "missions": len(data.missions),
            "activities": len(data.activities),
        }
    )
    if data.scale:
        lines.append(_("Échelle : %(levels)s") % {"levels": ", ".join(f"{s.value}. {s.label}" for s in data.scale)})
    lines += [_("Remarque : %(note)s") % {"note": note} for note in result.notes]
    return lines
