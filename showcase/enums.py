from django.db import models
from django.utils.translation import gettext_lazy as _


class PageStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "soumise", _("À vérifier par l'équipe CNCD")
    CHANGES = "a-reprendre", _("Modifications demandées")
    PUBLISHED = "publiee", _("Publiée")


class SelectionMethod(models.TextChoices):
    VOLUNTEERS = "volontariat", _("Appel à volontaires")
    LOTTERY = "tirage", _("Tirage au sort")
    APPOINTED = "designation", _("Désignation par des structures (collèges)")
    MIXED = "mixte", _("Mode mixte")
    OTHER = "autre", _("Autre")


class WorkKind(models.TextChoices):
    OPINION = "avis", _("Avis")
    CONTRIBUTION = "contribution", _("Contribution")
    REPORT = "rapport", _("Rapport")
    SELF_REFERRAL = "autosaisine", _("Autosaisine")
    REFERRAL = "saisine", _("Saisine de la collectivité")


class WorkStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publie", _("Publié")
    HIDDEN = "masque", _("Masqué par l'équipe CNCD")


class WorkLicence(models.TextChoices):
    ETALAB = "licence-ouverte-2.0", _("Licence Ouverte 2.0 (Etalab)")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0 (attribution)")


LICENCE_URLS = {
    WorkLicence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    WorkLicence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
}


class FollowUpAnswer(models.TextChoices):
    """Did the authority answer the council's work?"""

    UNKNOWN = "inconnu", _("Pas encore renseigné")
    WAITING = "en-attente", _("En attente de réponse")
    ANSWERED = "repondu", _("La collectivité a répondu")
    NO_ANSWER = "sans-reponse", _("Pas de réponse de la collectivité")


class Uptake(models.TextChoices):
    """How far the authority took the work into account."""

    UNKNOWN = "inconnu", _("Non renseigné")
    FULLY = "totalement", _("Pris en compte totalement")
    PARTLY = "partiellement", _("Pris en compte en partie")
    NOT = "pas", _("Pas pris en compte")


class LinkKind(models.TextChoices):
    MISSION = "mission", _("Mission")
    ACTIVITY = "activite", _("Activité")
    COMPETENCE = "competence", _("Compétence")
