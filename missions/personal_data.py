"""What the missions app keeps about a person (core.personal_data), registered in MissionsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from competences.models import FrameworkVersion
from core.personal_data import PersonalDataKind, personal_data_register
from missions.models import Mission, MissionDeclaration


def declarations_export(user) -> list[dict]:
    """`user`'s declared missions, with the mission's title in the version in force (or the last one that had it)."""
    declarations = list(MissionDeclaration.objects.of_user(user).order_by("mission_code"))
    codes = [declaration.mission_code for declaration in declarations]
    # Oldest version first, so that the one in force (or the latest released one) has the last word.
    titles = (
        dict(
            Mission.objects.filter(code__in=codes, version__in=FrameworkVersion.objects.released())
            .order_by("version__published_at", "version_id")
            .values_list("code", "title")
        )
        if codes
        else {}
    )
    return [
        {
            "mission_code": declaration.mission_code,
            "mission": titles.get(declaration.mission_code, ""),
            "time_share_percent": declaration.time_share,
            "updated_at": declaration.updated_at.isoformat(),
        }
        for declaration in declarations
    ]


def declarations_erase(user) -> None:
    """Delete `user`'s declared missions."""
    MissionDeclaration.objects.of_user(user).delete()


DECLARATIONS = PersonalDataKind(
    key="missions-declarees",
    label=_("Missions déclarées"),
    description=_(
        "Les missions du référentiel que vous avez déclaré exercer, avec la part de votre temps de travail "
        "consacrée à chacune et la date de la dernière mise à jour."
    ),
    source=_("Saisie par vous sur la page « Mes missions »."),
    purpose=_(
        "Décrire votre poste, vous permettre d'être trouvé·e par mission dans l'annuaire et produire des "
        "chiffres d'ensemble sans nom sur les missions exercées dans le réseau."
    ),
    legal_basis=_(
        "Consentement (RGPD, article 6.1.a) : la déclaration est facultative, vous pouvez la modifier ou "
        "l'effacer à tout moment."
    ),
    retention=_("Tant que votre compte existe ; supprimées avec lui."),
    recipients=_(
        "Vous seul·e pour la part de temps ; les personnes qui voient la rubrique « Mon poste » de votre "
        "profil (selon vos choix de visibilité) peuvent vous trouver par mission dans l'annuaire ; l'équipe "
        "CNCD ne voit que des chiffres d'ensemble, sans nom."
    ),
    models=(MissionDeclaration,),
    export=declarations_export,
    erase=declarations_erase,
    order=250,
    columns=("mission_code", "mission", "time_share_percent", "updated_at"),
)


def register() -> None:
    """Declare the missions app's kinds of personal data."""
    personal_data_register(DECLARATIONS)
