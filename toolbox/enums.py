from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    METHOD = "methode", _("Méthode d'animation")
    REPORT = "retour", _("Retour d'expérience")
    TEMPLATE = "trame", _("Trame ou modèle")
    TOOL = "outil", _("Outil numérique")
    EXTERNAL = "externe", _("Ressource externe")


class ResourceStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    SUBMITTED = "soumise", _("Soumise à l'équipe CNCD")
    CHANGES = "a-reprendre", _("Modifications demandées")
    PUBLISHED = "publiee", _("Publiée")
    REFUSED = "refusee", _("Refusée")


class Audience(models.TextChoices):
    MEMBERS = "membres", _("Membres du réseau seulement")
    PUBLIC = "public", _("Tout le monde (public)")


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons BY-SA 4.0 (attribution, partage dans les mêmes conditions)")
    CC_BY = "cc-by-4.0", _("Creative Commons BY 4.0 (attribution)")
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", _("Creative Commons BY-NC-SA 4.0 (pas d'utilisation commerciale)")
    CC0 = "cc0-1.0", _("CC0 1.0 (domaine public)")
    ETALAB = "licence-ouverte-2.0", _("Licence Ouverte 2.0 (Etalab)")
    RESERVED = "droits-reserves", _("Droits réservés (ressource externe : voir les conditions de la source)")


LICENCE_URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    Licence.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.RESERVED: "",
}

LICENCE_SHORT = {
    Licence.CC_BY_SA: "CC BY-SA 4.0",
    Licence.CC_BY: "CC BY 4.0",
    Licence.CC_BY_NC_SA: "CC BY-NC-SA 4.0",
    Licence.CC0: "CC0 1.0",
    Licence.ETALAB: "Licence Ouverte 2.0",
    Licence.RESERVED: _("Droits réservés"),
}


class TemplateKind(models.TextChoices):
    REFERRAL = "saisine", _("Saisine")
    OPINION = "avis", _("Avis")
    ACTIVITY_REPORT = "rapport", _("Rapport d'activité")
    AGREEMENT = "convention", _("Convention")
    RULES = "reglement", _("Règlement intérieur ou charte")
    OTHER = "autre", _("Autre modèle")


class Hosting(models.TextChoices):
    LOCAL = "local", _("Dans la collectivité (aucune donnée ne sort)")
    FRANCE = "france", _("Hébergé en France")
    EU = "ue", _("Hébergé dans l'Union européenne")
    OUTSIDE_EU = "hors-ue", _("Hébergé hors de l'Union européenne")
    UNKNOWN = "inconnu", _("Hébergement inconnu")


class LinkKind(models.TextChoices):
    MISSION = "mission", _("Mission")
    ACTIVITY = "activite", _("Activité")
    COMPETENCE = "competence", _("Compétence")
