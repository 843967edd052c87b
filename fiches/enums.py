from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionKind(models.TextChoices):
    TEXT = "text", _("Texte libre")
    MISSIONS = "missions", _("Missions et activités du référentiel")
    COMPETENCES = "competences", _("Compétences requises du référentiel")


class RevisionSource(models.TextChoices):
    CREATED = "created", _("Rédaction initiale")
    EDIT = "edit", _("Modification directe")
    SUGGESTION = "suggestion", _("Proposition acceptée")
    RESTORE = "restore", _("Restauration")


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


# Not stored: an open suggestion is outdated when its section changed after it was written.
OUTDATED = "outdated"
OUTDATED_LABEL = _("À mettre à jour")


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Un e-mail à chaque notification")
    DIGEST = "digest", _("Un récapitulatif quotidien")
    NONE = "none", _("Pas d'e-mail (notifications sur le site seulement)")
