"""Which fields each kind of resource has: the one declaration behind the form, the page, the history and the
catalogue's import and export."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from toolbox.enums import ResourceKind

COMMON_FIELDS = ("title", "summary", "description")


@dataclass(frozen=True)
class KindSpec:
    fields: tuple[str, ...]  # the fields of this kind, in the order of the form and the page
    required: tuple[str, ...]  # beyond the common title and summary
    block_title: str = ""  # the heading of the kind's own block on the page
    help: str = ""


KINDS: dict[str, KindSpec] = {
    ResourceKind.METHOD: KindSpec(
        fields=("purpose", "group_min", "group_max", "duration_minutes", "materials", "steps"),
        required=("purpose", "steps"),
        block_title=_("La méthode"),
        help=_("Une façon d'animer un groupe : world café, débat mouvant, porteur de parole…"),
    ),
    ResourceKind.REPORT: KindSpec(
        fields=("council", "territory", "context", "actions", "results", "pitfalls"),
        required=("context", "actions", "results"),
        block_title=_("Le retour d'expérience"),
        help=_("Ce qu'un conseil a fait, ce que cela a donné et ce qu'il vaut mieux éviter."),
    ),
    ResourceKind.TEMPLATE: KindSpec(
        fields=("template_kind",),
        required=("template_kind",),
        block_title=_("Le modèle"),
        help=_("Une trame à reprendre : saisine, avis, rapport d'activité, convention… avec ses fichiers."),
    ),
    ResourceKind.TOOL: KindSpec(
        fields=("tool_url", "is_ai", "use_purpose", "data_flows", "hosting", "human_part", "cost", "vigilance"),
        required=("use_purpose", "data_flows", "hosting", "human_part", "cost", "vigilance"),
        block_title=_("Usage responsable"),
        help=_(
            "Un outil numérique, y compris d'intelligence artificielle. Le bloc « usage responsable » est "
            "obligatoire : à quoi il sert, quelles données sortent de la collectivité et où elles sont hébergées, "
            "ce qui reste votre propre travail, son coût et les points de vigilance."
        ),
    ),
    ResourceKind.EXTERNAL: KindSpec(
        fields=("url", "publisher", "year"),
        required=("url",),
        block_title=_("La source"),
        help=_("Un guide, une étude, un texte de loi : un lien décrit."),
    ),
}

ALL_KIND_FIELDS = tuple(dict.fromkeys(name for spec in KINDS.values() for name in spec.fields))

# What a revision keeps and the history compares, beyond the kind's fields.
HISTORY_FIELDS = (*COMMON_FIELDS, "licence", "audience", "links", "other_authors")


def kind_fields(kind: str) -> tuple[str, ...]:
    spec = KINDS.get(kind)
    return spec.fields if spec else ()
