from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validé")
    REFUSED = "refused", _("Refusé")


class TerritoryKind(models.TextChoices):
    METROPOLE = "metropole", _("Métropole")
    URBAN_COMMUNITY = "communaute_urbaine", _("Communauté urbaine")
    AGGLOMERATION = "communaute_agglomeration", _("Communauté d'agglomération")
    COMMUNES = "communaute_communes", _("Communauté de communes")
    PETR = "petr", _("PETR / pays")
    OTHER = "autre", _("Autre")


class EmploymentStatus(models.TextChoices):
    TITULAIRE = "titulaire", _("Titulaire")
    CONTRACTUEL = "contractuel", _("Contractuel·le")
    OTHER = "autre", _("Autre")


class Category(models.TextChoices):
    A = "A", _("Catégorie A")
    B = "B", _("Catégorie B")
    C = "C", _("Catégorie C")


class Filiere(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative")
    TECHNIQUE = "technique", _("Technique")
    ANIMATION = "animation", _("Animation")
    CULTURELLE = "culturelle", _("Culturelle")
    SOCIALE = "sociale", _("Sociale")
    OTHER = "autre", _("Autre")


class PostPlacement(models.TextChoices):
    GENERAL_MANAGEMENT = "direction_generale", _("Direction générale")
    PARTICIPATION = "participation", _("Service participation")
    DEVELOPMENT = "developpement", _("Développement / prospective")
    COMMUNICATION = "communication", _("Communication")
    CABINET = "cabinet", _("Cabinet")
    OTHER = "autre", _("Autre")


class Visibility(models.TextChoices):
    """Who may see a group of profile fields, from the narrowest to the widest circle."""

    HIDDEN = "hidden", _("Personne (masqué)")
    TEAM = "team", _("L'équipe CNCD uniquement")
    MEMBERS = "members", _("Les membres du réseau")
    PUBLIC = "public", _("Tout le monde (public)")


class Audience(models.TextChoices):
    """Who is looking at a profile; decides which visibility levels they may see."""

    PUBLIC = "public", _("le public")
    MEMBER = "member", _("un membre")
    TEAM = "team", _("l'équipe CNCD")
    SELF = "self", _("vous-même")


# The visibility levels each audience may see.
AUDIENCE_VISIBILITIES = {
    Audience.PUBLIC: {Visibility.PUBLIC},
    Audience.MEMBER: {Visibility.PUBLIC, Visibility.MEMBERS},
    Audience.TEAM: {Visibility.PUBLIC, Visibility.MEMBERS, Visibility.TEAM},
    Audience.SELF: {Visibility.PUBLIC, Visibility.MEMBERS, Visibility.TEAM, Visibility.HIDDEN},
}


class TimeShareBand(models.TextChoices):
    QUARTER = "0-25", _("Jusqu'à 25 %")
    HALF = "26-50", _("De 26 à 50 %")
    MOST = "51-99", _("De 51 à 99 %")
    FULL = "100", _("Temps plein (100 %)")


# Inclusive bounds of each band, in percent.
TIME_SHARE_BOUNDS = {
    TimeShareBand.QUARTER: (0, 25),
    TimeShareBand.HALF: (26, 50),
    TimeShareBand.MOST: (51, 99),
    TimeShareBand.FULL: (100, 100),
}


class InvitationOutcome(models.TextChoices):
    INVITED = "invited", _("Invitation envoyée")
    INVALID = "invalid", _("Adresse invalide")
    DUPLICATE = "duplicate", _("En double dans la liste")
    ALREADY_MEMBER = "already_member", _("A déjà un compte")
    ALREADY_INVITED = "already_invited", _("Déjà invité·e (invitation en cours)")


class Credit(models.TextChoices):
    """How a member is named where their contributions are listed: published fiches (PDF) and history pages."""

    FULL_NAME = "full_name", _("Mon nom complet")
    INITIALS = "initials", _("Mes initiales")
    HIDDEN = "hidden", _("Ne pas me nommer")


# The privacy-friendly default, stated on the privacy page (templates/pages/privacy.html).
CREDIT_DEFAULT = Credit.INITIALS
