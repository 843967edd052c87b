from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Technicien·ne")
    CURATOR = "curator", _("Équipe CNCD")
    ADMIN = "admin", _("Administrateur·rice")


# A role includes every role ranked below it.
ROLE_RANK = {Role.MEMBER: 1, Role.CURATOR: 2, Role.ADMIN: 3}


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validé")
    REFUSED = "refused", _("Refusé")
