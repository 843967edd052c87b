"""What the showcase app keeps about a person (core.personal_data), registered in its AppConfig.ready().

Each area declares the kinds of its own models in its function below; `register()` joins them. The guard
test (tests/core/test_personal_data_registry.py) fails for any model about people left undeclared.
"""

from core.personal_data import personal_data_register


def _councils_iso(value):
    return value.isoformat() if value is not None else None


def _councils_preference_export(user) -> list[dict]:
    from showcase.models import ShowcasePreference

    return [
        {
            "appears_on_council_page": preference.appears_on_council_page,
            "council": user.profile.council.name
            if getattr(user, "profile", None) is not None and user.profile.council_id
            else None,
            "updated_at": _councils_iso(preference.updated_at),
        }
        for preference in ShowcasePreference.objects.filter(user=user)
    ]


def _councils_preference_erase(user) -> None:
    from showcase.models import ShowcasePreference

    ShowcasePreference.objects.filter(user=user).delete()


def _councils_pages_export(user) -> list[dict]:
    from django.db.models import Q

    from showcase.models import CouncilPage

    pages = CouncilPage.objects.filter(Q(updated_by=user) | Q(checked_by=user)).select_related("council")
    return [
        {
            "council": page.council.name,
            "role": ", ".join(
                role
                for role, mine in (
                    ("dernière modification", page.updated_by_id == user.pk),
                    ("dernière vérification (équipe CNCD)", page.checked_by_id == user.pk),
                )
                if mine
            ),
            "status": str(page.get_status_display()),
            "updated_at": _councils_iso(page.updated_at),
            "checked_at": _councils_iso(page.checked_at) if page.checked_by_id == user.pk else None,
            "check_comment": page.check_comment if page.checked_by_id == user.pk else "",
        }
        for page in pages.order_by("pk")
    ]


def _councils_pages_erase(user) -> None:
    """The page is the council's: it stays; only the link to who last edited or checked it goes."""
    from showcase.models import CouncilPage

    CouncilPage.objects.filter(updated_by=user).update(updated_by=None)
    CouncilPage.objects.filter(checked_by=user).update(checked_by=None)


def _councils_kinds() -> list:
    """Personal-data kinds of the councils area (council pages, technicians appearing, team check)."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from showcase.models import CouncilPage, ShowcasePreference

    return [
        PersonalDataKind(
            key="vitrine-apparition",
            label=_("Vitrine : apparaître sur la page de mon conseil"),
            description=_(
                "Votre choix de faire apparaître votre nom affiché et l'intitulé de votre poste sur la page "
                "publique de votre conseil dans la vitrine (désactivé par défaut)."
            ),
            source=_("Saisi par vous sur la page « Ma vitrine » ou sur votre profil."),
            purpose=_("Faire connaître les technicien·nes qui animent chaque conseil, s'ils et elles le souhaitent."),
            legal_basis=_(
                "Consentement (RGPD, article 6.1.a) : désactivé par défaut, vous pouvez le retirer à tout moment ; "
                "votre nom disparaît alors de la page."
            ),
            retention=_("Tant que votre compte existe ; supprimé avec lui."),
            recipients=_(
                "Tout le monde (la page du conseil est publique) quand vous avez choisi d'apparaître : votre nom "
                "affiché et l'intitulé de votre poste seulement."
            ),
            models=(ShowcasePreference,),
            export=_councils_preference_export,
            erase=_councils_preference_erase,
            order=900,
            columns=("appears_on_council_page", "council", "updated_at"),
        ),
        PersonalDataKind(
            key="vitrine-pages-des-conseils",
            label=_("Vitrine : pages de conseils modifiées ou vérifiées"),
            description=_(
                "Les pages de conseils dont vous êtes l'auteur·rice de la dernière modification, ou que vous avez "
                "vérifiées pour l'équipe CNCD (avec votre message)."
            ),
            source=_("Enregistré quand vous modifiez la page de votre conseil ou quand l'équipe la vérifie."),
            purpose=_("Savoir qui a écrit ou vérifié en dernier la page publique d'un conseil."),
            legal_basis=_(
                "Intérêt légitime (RGPD, article 6.1.f) : l'équipe CNCD répond du contenu public de la vitrine."
            ),
            retention=_(
                "Tant que votre compte existe ; à sa suppression la page reste (elle appartient au conseil) mais "
                "ne vous est plus rattachée."
            ),
            recipients=_("L'équipe CNCD."),
            models=(CouncilPage,),
            export=_councils_pages_export,
            erase=_councils_pages_erase,
            order=901,
            columns=("council", "role", "status", "updated_at", "checked_at", "check_comment"),
        ),
    ]


def _works_export(user) -> list[dict]:
    from django.db.models import Q

    from showcase.models import Work

    works = Work.objects.filter(Q(created_by=user) | Q(hidden_by=user)).select_related("page__council")
    return [
        {
            "title": work.title,
            "council": work.page.council.name,
            "role": ", ".join(
                role
                for role, mine in (
                    ("ajouté par vous", work.created_by_id == user.pk),
                    ("masqué par vous (équipe CNCD)", work.hidden_by_id == user.pk),
                )
                if mine
            ),
            "status": str(work.get_status_display()),
            "created_at": _councils_iso(work.created_at),
            "hidden_reason": work.hidden_reason if work.hidden_by_id == user.pk else "",
        }
        for work in works.order_by("pk")
    ]


def _works_erase(user) -> None:
    """The works are the council's: they stay; only the link to who added or hid them goes."""
    from showcase.models import Work

    Work.objects.filter(created_by=user).update(created_by=None)
    Work.objects.filter(hidden_by=user).update(hidden_by=None)


def _works_kinds() -> list:
    """Personal-data kinds of the works area (works library, follow-ups, documents, search, Atom feed)."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind, personal_data_exempt
    from showcase.models import Theme, Work, WorkLink

    personal_data_exempt(
        WorkLink, reason=_("Le lien d'un travail de conseil au référentiel ne dit rien d'une personne.")
    )
    personal_data_exempt(Theme, reason=_("La liste partagée des thèmes ne dit rien d'une personne."))
    return [
        PersonalDataKind(
            key="vitrine-travaux",
            label=_("Vitrine : travaux de conseils ajoutés ou masqués"),
            description=_(
                "Les travaux de conseils (avis, contributions, rapports) que vous avez ajoutés à la vitrine, ou que "
                "vous avez masqués pour l'équipe CNCD (avec le motif)."
            ),
            source=_("Enregistré quand vous ajoutez un travail de votre conseil ou quand l'équipe en masque un."),
            purpose=_("Savoir qui a ajouté un travail à la vitrine, et qui l'a masqué et pourquoi."),
            legal_basis=_(
                "Intérêt légitime (RGPD, article 6.1.f) : l'équipe CNCD répond du contenu public de la vitrine."
            ),
            retention=_(
                "Tant que votre compte existe ; à sa suppression les travaux restent (ils appartiennent au conseil) "
                "mais ne vous sont plus rattachés."
            ),
            recipients=_("Les technicien·nes du conseil et l'équipe CNCD ; jamais le public."),
            models=(Work,),
            export=_works_export,
            erase=_works_erase,
            order=902,
            columns=("title", "council", "role", "status", "created_at", "hidden_reason"),
        ),
    ]


def _figures_kinds() -> list:
    """Personal-data kinds of the figures area (map, network figures, exports): none. The area stores nothing; it
    counts published pages and works, and names councils (not people) on the map."""
    return []


def register() -> None:
    for kind in [
        *_councils_kinds(),
        *_works_kinds(),
        *_figures_kinds(),
    ]:
        personal_data_register(kind)
