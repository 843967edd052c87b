"""What the competences app keeps about a person (core.personal_data), registered in CompetencesConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from competences.models import AssessmentSharing, Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core.personal_data import PersonalDataKind, personal_data_register


def _iso(value):
    return value.isoformat() if value is not None else None


def self_assessments_export(user) -> list[dict]:
    """`user`'s ratings, one row per competence, with its title and the level's label in the version rated."""
    ratings = list(SelfAssessment.objects.of_user(user).select_related("version").order_by("code"))
    versions = {rating.version_id for rating in ratings}
    titles = {
        (version_id, code): title
        for version_id, code, title in Competence.objects.filter(version__in=versions).values_list(
            "version_id", "code", "title"
        )
    }
    levels = {
        (version_id, value): label
        for version_id, value, label in ScaleLevel.objects.filter(version__in=versions).values_list(
            "version_id", "value", "label"
        )
    }
    return [
        {
            "competence_code": rating.code,
            "competence": titles.get((rating.version_id, rating.code), ""),
            "level": rating.level,
            "level_label": levels.get((rating.version_id, rating.level), ""),
            "not_concerned": rating.not_concerned,
            "evidence": rating.evidence,
            "framework_version": rating.version.label,
            "updated_at": _iso(rating.updated_at),
        }
        for rating in ratings
    ]


def self_assessments_erase(user) -> None:
    """Delete `user`'s ratings and evidence."""
    SelfAssessment.objects.of_user(user).delete()


def sharing_export(user) -> list[dict]:
    """`user`'s choice about being found in the directory by competence and level, when they made one."""
    return [
        {"in_directory": sharing.in_directory, "updated_at": _iso(sharing.updated_at)}
        for sharing in AssessmentSharing.objects.filter(user=user)
    ]


def sharing_erase(user) -> None:
    """Delete `user`'s choice."""
    AssessmentSharing.objects.filter(user=user).delete()


def versions_created_export(user) -> list[dict]:
    """The référentiel versions `user` started as a draft (CNCD team)."""
    return [
        {
            "version": version.label,
            "status": str(version.get_status_display()),
            "created_at": _iso(version.created_at),
            "published_at": _iso(version.published_at),
        }
        for version in FrameworkVersion.objects.filter(created_by=user).order_by("created_at", "pk")
    ]


def versions_created_erase(user) -> None:
    """Keep the versions: they are the network's référentiel; the account's anonymisation hides who created them."""
    # `created_by` keeps pointing to the anonymised account row (members), shown as "Ancien·ne membre".


SELF_ASSESSMENTS = PersonalDataKind(
    key="competences-auto-evaluation",
    label=_("Auto-évaluation des compétences"),
    description=_(
        "Pour chaque compétence que vous avez évaluée : son code et son intitulé, le niveau choisi "
        "(ou « non concerné·e »), l'élément de preuve que vous avez écrit, la version du référentiel "
        "évaluée et la date de la dernière mise à jour."
    ),
    source=_("Saisie par vous sur la page « Mon auto-évaluation »."),
    purpose=_(
        "Vous permettre de situer vos compétences au regard du référentiel, d'être trouvé·e par compétence "
        "dans l'annuaire si vous l'acceptez, et de produire des chiffres d'ensemble sans nom sur le réseau."
    ),
    legal_basis=_(
        "Consentement (RGPD, article 6.1.a) : l'auto-évaluation est facultative, vous pouvez la modifier "
        "ou l'effacer à tout moment."
    ),
    retention=_("Tant que votre compte existe ; supprimée avec lui."),
    recipients=_(
        "Vous seul·e pour le détail (niveaux et exemples) ; si vous l'acceptez, les personnes qui voient votre "
        "poste (membres du réseau, équipe CNCD) peuvent vous trouver dans l'annuaire par compétence et niveau "
        "minimum ; l'équipe CNCD voit aussi des chiffres d'ensemble qui ne vous nomment pas."
    ),
    models=(SelfAssessment,),
    export=self_assessments_export,
    erase=self_assessments_erase,
    order=200,
    columns=(
        "competence_code",
        "competence",
        "level",
        "level_label",
        "not_concerned",
        "evidence",
        "framework_version",
        "updated_at",
    ),
)

SHARING = PersonalDataKind(
    key="competences-partage-annuaire",
    label=_("Partage de l'auto-évaluation dans l'annuaire"),
    description=_(
        "Si vous avez accepté d'être trouvé·e dans l'annuaire par compétence et niveau minimum, et la date de ce choix."
    ),
    source=_("Case à cocher de la page « Mon auto-évaluation »."),
    purpose=_("Respecter votre choix d'être trouvé·e ou non dans l'annuaire par compétence."),
    legal_basis=_("Consentement (RGPD, article 6.1.a) : c'est ce choix qui recueille votre consentement."),
    retention=_("Tant que votre compte existe ; supprimé avec lui."),
    recipients=_("Vous seul·e."),
    models=(AssessmentSharing,),
    export=sharing_export,
    erase=sharing_erase,
    order=205,
    columns=("in_directory", "updated_at"),
)

VERSIONS_CREATED = PersonalDataKind(
    key="competences-versions-creees",
    label=_("Versions du référentiel créées"),
    description=_(
        "Les versions du référentiel que vous avez ouvertes en brouillon (équipe CNCD) : libellé, statut, "
        "dates de création et de publication."
    ),
    source=_("Enregistré lorsque vous avez créé ou importé une version du référentiel."),
    purpose=_("Garder la trace de qui a préparé chaque version du référentiel commun."),
    legal_basis=_(
        "Intérêt légitime (RGPD, article 6.1.f) : la mission d'intérêt général de la CNCD, tenir le "
        "référentiel commun du réseau et rendre compte de ses versions."
    ),
    retention=_(
        "Tant que la version existe ; à la suppression de votre compte, la version reste et est attribuée "
        "à « Ancien·ne membre »."
    ),
    recipients=_("L'équipe CNCD."),
    models=(FrameworkVersion,),
    export=versions_created_export,
    erase=versions_created_erase,
    order=210,
    columns=("version", "status", "created_at", "published_at"),
)


def register() -> None:
    """Declare the competences app's kinds of personal data."""
    personal_data_register(SELF_ASSESSMENTS)
    personal_data_register(SHARING)
    personal_data_register(VERSIONS_CREATED)
