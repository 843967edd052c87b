import hashlib

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from competences.models import FrameworkVersion
from core.concurrency import EditConflict
from missions.models import Mission, MissionDeclaration


def declarations_token(user) -> str:
    """A fingerprint of `user`'s declarations as stored: the declaration form's version token."""
    rows = MissionDeclaration.objects.of_user(user).order_by("mission_code").values_list("mission_code", "time_share")
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:20]


@transaction.atomic
def declarations_save(*, user, shares: dict[str, int], token: str | None = None) -> None:
    """Replace `user`'s declared missions {code: % of time}; the total may not exceed 100 %.

    `token` is declarations_token() as the form was opened: EditConflict when the declarations were
    saved since (the form open in two tabs), as the whole form is saved at once.
    """
    # One member's saves take turns: the comparison below holds until this one is written.
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    if token is not None and token != declarations_token(user):
        raise EditConflict(
            None,
            _(
                "Vos missions ont été enregistrées depuis un autre onglet pendant que vous remplissiez celui-ci. "
                "Rien n'est perdu : votre saisie est conservée ci-dessous ; comparez-la aux missions enregistrées, "
                "puis enregistrez de nouveau."
            ),
        )
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
