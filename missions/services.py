from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competences.models import FrameworkVersion, Mission
from missions.models import MissionDeclaration


@transaction.atomic
def declarations_save(*, user, shares: dict[str, int]) -> None:
    """Replace `user`'s declared missions {code: % of time}; the total may not exceed 100 %."""
    version = FrameworkVersion.objects.current()
    known = set(Mission.objects.of(version).values_list("code", flat=True)) if version else set()
    unknown = sorted(set(shares) - known)
    if unknown:
        raise ValidationError(_("Mission inconnue : %(codes)s.") % {"codes": ", ".join(unknown)})
    if any(share < 0 or share > 100 for share in shares.values()):
        raise ValidationError(_("Chaque part doit être comprise entre 0 et 100 %."))
    total = sum(shares.values())
    if total > 100:
        raise ValidationError(_("La somme des parts de temps dépasse 100 %% (%(total)s %%).") % {"total": total})
    MissionDeclaration.objects.of_user(user).exclude(mission_code__in=shares).delete()
    for code, share in shares.items():
        MissionDeclaration.objects.update_or_create(user=user, mission_code=code, defaults={"time_share": share})
