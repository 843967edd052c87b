"""How the référentiel's audit entries read in the CNCD team's journal (core.audit_sentences).

The actions keep their historical `competences.` names (docs/architecture.md).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, team_area_register

ITEM_VERBS = {
    "created": gettext_lazy("a ajouté"),
    "updated": gettext_lazy("a modifié"),
    "deleted": gettext_lazy("a retiré"),
    "moved": gettext_lazy("a déplacé"),
}
ITEMS = {
    "mission": gettext_lazy("la mission"),
    "activity": gettext_lazy("l'activité"),
    "domain": gettext_lazy("le domaine"),
    "competence": gettext_lazy("la compétence"),
}


def _item_sentence(kind, verb):
    def sentence(entry, who):
        version = (entry.data or {}).get("version", "")
        where = _(" dans le brouillon %(label)s") % {"label": version} if version else ""
        return f"{who} {ITEM_VERBS[verb]} {ITEMS[kind]} « {entry.target_repr} »{where}"

    return sentence


def register() -> None:
    team_area_register(TeamArea("referentiel", gettext_lazy("Référentiel"), ("competences.",)))
    sentences = {
        "competences.framework.draft_created": lambda e, who: (
            _("%(who)s a commencé le brouillon %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.framework.imported": lambda e, who: (
            _("%(who)s a importé un fichier dans le brouillon %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.framework.draft_deleted": lambda e, who: (
            _("%(who)s a supprimé le brouillon %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.framework.published": lambda e, who: (
            _("%(who)s a publié la version %(target)s du référentiel") % {"who": who, "target": e.target_repr}
        ),
        "competences.scale.updated": lambda e, who: (
            _("%(who)s a modifié un niveau de l'échelle : %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.scale.level_added": lambda e, who: (
            _("%(who)s a ajouté un niveau à l'échelle : %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.scale.level_removed": lambda e, who: (
            _("%(who)s a retiré un niveau de l'échelle : %(target)s") % {"who": who, "target": e.target_repr}
        ),
        "competences.competence.levels_updated": lambda e, who: (
            _("%(who)s a modifié les niveaux attendus de la compétence « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
        "competences.competence.alignments_updated": lambda e, who: (
            _("%(who)s a modifié les correspondances externes de la compétence « %(target)s »")
            % {"who": who, "target": e.target_repr}
        ),
    }
    for kind in ITEMS:
        for verb in ITEM_VERBS:
            sentences[f"competences.{kind}.{verb}"] = _item_sentence(kind, verb)
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
