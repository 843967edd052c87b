from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    CNFPT = "cnfpt", _("CNFPT")
    UNIVERSITY = "universite", _("Université")
    CNCD = "cncd", _("CNCD")
    OTHER = "autre", _("Autre organisme")


class TrainingFormat(models.TextChoices):
    ON_SITE = "sur-place", _("Sur place")
    REMOTE = "distance", _("À distance")
    HYBRID = "hybride", _("Hybride")


class TrainingStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publiee", _("Publiée")
    ARCHIVED = "archivee", _("Archivée")


class PlanReference(models.TextChoices):
    COMMON = "commune", _("La fiche de poste commune")
    PERSONAL = "personnelle", _("Ma fiche de poste personnelle")


class ActionKind(models.TextChoices):
    TRAINING = "formation", _("Suivre une formation")
    RESOURCE = "ressource", _("Essayer une ressource de la boîte à outils")
    PEER = "echange", _("Échanger avec un·e pair")
    OTHER = "autre", _("Autre action")


class ActionStatus(models.TextChoices):
    PLANNED = "prevue", _("Prévue")
    IN_PROGRESS = "en-cours", _("En cours")
    DONE = "faite", _("Faite")
    DROPPED = "abandonnee", _("Abandonnée")


class RequestStatus(models.TextChoices):
    PENDING = "en-attente", _("En attente de réponse")
    ACCEPTED = "acceptee", _("Acceptée")
    DECLINED = "declinee", _("Déclinée")
    WITHDRAWN = "retiree", _("Retirée")


class PortfolioPart(models.TextChoices):
    POST = "poste", _("Mon poste")
    MISSIONS = "missions", _("Mes missions")
    LEVELS = "niveaux", _("Mes niveaux au regard des niveaux attendus")
    EVIDENCE = "preuves", _("Mes éléments de preuve")
    TRAININGS = "formations", _("Les formations suivies")
    PLAN = "plan", _("Mon plan de développement")
    CONTRIBUTIONS = "contributions", _("Mes contributions au réseau")
