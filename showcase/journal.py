"""How the showcase app's audit entries read in the CNCD team's journal and the audit log (core.audit_sentences).

Each area of the app keeps its own function below; `register()` joins them.
"""

from django.utils.translation import gettext_lazy

from core.audit_sentences import TeamArea, audit_sentence_register, team_area_register

# The team's own actions, shown in its journal (prefixes of action names): checking, publishing, sending back
# or withdrawing council pages, managing the themes, hiding and restoring works. Technicians' own edits
# (pages, preferences, works, follow-ups, documents) keep their sentences in the audit log only.
TEAM_ACTIONS = (
    "showcase.page.published",
    "showcase.page.rechecked",
    "showcase.page.changes_requested",
    "showcase.page.unpublished",
    "showcase.theme.",
    "showcase.work.hidden",
    "showcase.work.restored",
)


def _councils_sentences() -> dict:
    """Sentences of the councils area (council pages, technicians appearing, team check)."""
    from django.utils.translation import gettext as _

    from core.audit_sentences import reason_of

    def page(text):
        return lambda e, who: str(text) % {"who": who, "target": e.target_repr, "reason": reason_of(e)}

    def edited(e, who):
        if (e.data or {}).get("recheck"):
            text = _("%(who)s a modifié la page publiée de « %(target)s » (à relire par l'équipe)")
        else:
            text = _("%(who)s a modifié la page de « %(target)s » dans la vitrine")
        return text % {"who": who, "target": e.target_repr}

    def preference(e, who):
        if (e.data or {}).get("appears"):
            return _("%(who)s a choisi d'apparaître sur la page publique de son conseil") % {"who": who}
        return _("%(who)s a choisi de ne plus apparaître sur la page publique de son conseil") % {"who": who}

    def theme_edited(e, who):
        before = str((e.data or {}).get("before") or "")
        renamed = f" (« {before} » auparavant)" if before and before != e.target_repr else ""
        withdrawn = "" if (e.data or {}).get("active", True) else _(", retiré de la liste proposée")
        return _("%(who)s a modifié le thème « %(target)s »%(renamed)s%(withdrawn)s") % {
            "who": who,
            "target": e.target_repr,
            "renamed": renamed,
            "withdrawn": withdrawn,
        }

    return {
        # Lazy texts: translated when the sentence is read, in the reader's language.
        "showcase.page.created": page(gettext_lazy("%(who)s a commencé la page de « %(target)s » dans la vitrine")),
        "showcase.page.edited": edited,
        "showcase.page.submitted": page(gettext_lazy("%(who)s a soumis la page de « %(target)s » à l'équipe CNCD")),
        "showcase.page.published": page(gettext_lazy("%(who)s a publié la page de « %(target)s » dans la vitrine")),
        "showcase.page.rechecked": page(gettext_lazy("%(who)s a relu et confirmé la page modifiée de « %(target)s »")),
        "showcase.page.changes_requested": page(
            gettext_lazy("%(who)s a demandé des modifications à la page de « %(target)s »%(reason)s")
        ),
        "showcase.page.unpublished": page(
            gettext_lazy("%(who)s a retiré de la vitrine la page de « %(target)s »%(reason)s")
        ),
        "showcase.preference.changed": preference,
        "showcase.theme.created": page(gettext_lazy("%(who)s a ajouté le thème « %(target)s »")),
        "showcase.theme.edited": theme_edited,
        "showcase.theme.deleted": page(gettext_lazy("%(who)s a supprimé le thème « %(target)s »")),
    }


def _works_sentences() -> dict:
    """Sentences of the works area (works library, follow-ups, documents, search, Atom feed)."""
    from django.utils.translation import gettext as _

    from core.audit_sentences import reason_of

    def said(text):
        return lambda e, who: text() % {"who": who, "target": e.target_repr, "reason": reason_of(e)}

    return {
        "showcase.work.created": said(lambda: _("%(who)s a commencé le travail « %(target)s » dans la vitrine")),
        "showcase.work.updated": said(lambda: _("%(who)s a modifié le travail « %(target)s »")),
        "showcase.work.followup": said(lambda: _("%(who)s a mis à jour les suites données à « %(target)s »")),
        "showcase.work.published": said(lambda: _("%(who)s a publié le travail « %(target)s » dans la vitrine")),
        "showcase.work.unpublished": said(lambda: _("%(who)s a retiré le travail « %(target)s » de la vitrine")),
        "showcase.work.hidden": said(lambda: _("%(who)s a masqué le travail « %(target)s »%(reason)s")),
        "showcase.work.restored": said(lambda: _("%(who)s a rétabli le travail « %(target)s »")),
        "showcase.work.document": said(lambda: _("%(who)s a déposé le document du travail « %(target)s »")),
        "showcase.work.document_removed": said(lambda: _("%(who)s a retiré le document du travail « %(target)s »")),
    }


def _figures_sentences() -> dict:
    """Sentences of the figures area (map, network figures, exports)."""
    return {}


def register() -> None:
    team_area_register(TeamArea("showcase", gettext_lazy("Vitrine des conseils"), TEAM_ACTIONS))
    sentences = {**_councils_sentences(), **_works_sentences(), **_figures_sentences()}
    for action, sentence in sentences.items():
        audit_sentence_register(action, sentence)
