"""What the training app keeps about a person (core.personal_data), registered in its AppConfig.ready().

Each area declares the kinds of its own models in its function below; `register()` joins them. The guard
test (tests/core/test_personal_data_registry.py) fails for any model about people left undeclared.
"""

from core.personal_data import personal_data_register


def _completions_export(user) -> list[dict]:
    """The trainings `user` marked as followed, with the date and their review."""
    from training.models import TrainingCompletion

    rows = TrainingCompletion.objects.filter(user=user).select_related("training").order_by("completed_on", "pk")
    return [
        {
            "formation": completion.training.title,
            "organisme": completion.training.provider,
            "suivie_le": completion.completed_on.isoformat(),
            "avis": completion.review,
            "enregistree_le": completion.created_at.isoformat(),
            "modifiee_le": completion.updated_at.isoformat(),
        }
        for completion in rows
    ]


def _completions_erase(user) -> None:
    """Delete `user`'s marks and reviews, and recount the members who followed each training."""
    from training.models import TrainingCompletion
    from training.services import completion_count_refresh

    completions = TrainingCompletion.objects.filter(user=user)
    training_ids = list(completions.values_list("training_id", flat=True))
    completions.delete()
    completion_count_refresh(training_ids)


def _catalogue_kinds() -> list:
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind, personal_data_exempt
    from training.models import Training, TrainingCompetence, TrainingCompletion, TrainingSession

    reason = _(
        "Le catalogue des formations est rédigé par l'équipe CNCD pour le réseau ; le compte qui a créé une "
        "formation n'y est gardé que pour l'équipe et il est effacé (mis à vide) avec le compte."
    )
    personal_data_exempt(Training, reason=reason)
    personal_data_exempt(TrainingSession, reason=reason)
    personal_data_exempt(TrainingCompetence, reason=reason)
    return [
        PersonalDataKind(
            key="parcours-formations-suivies",
            label=_("Formations suivies"),
            description=_(
                "Les formations du catalogue que vous avez indiqué avoir suivies, avec la date et votre avis éventuel."
            ),
            source=_("Saisies par vous sur la page d'une formation (« Je l'ai suivie »)."),
            purpose=_(
                "Les faire figurer dans votre portfolio et votre plan de développement, partager votre avis avec "
                "les membres du réseau et compter les membres qui ont suivi chaque formation."
            ),
            legal_basis=_(
                "Consentement (RGPD, article 6.1.a) : c'est facultatif et vous pouvez retirer une formation ou "
                "votre avis à tout moment."
            ),
            retention=_("Tant que votre compte existe ; supprimées avec lui."),
            recipients=_(
                "Vous ; votre avis est lu par les membres du réseau, sous votre nom tel que vous avez choisi "
                "d'être crédité·e ; seul le nombre de membres ayant suivi une formation est public."
            ),
            models=(TrainingCompletion,),
            export=_completions_export,
            erase=_completions_erase,
            order=600,
            columns=("formation", "organisme", "suivie_le", "avis", "enregistree_le", "modifiee_le"),
        )
    ]


def _plans_kinds() -> list:
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from training import plans
    from training.models import DevelopmentPlan, PlanAction, PlanPriority

    basis = _("Exécution du service que vous demandez en tenant votre plan (RGPD, article 6.1.b).")
    retention = _("Tant que votre compte existe ; supprimé avec lui, ou quand vous le videz vous-même.")
    recipients = _(
        "Vous seul·e ; en lecture seule, les pairs qui ont accepté de vous accompagner et/ou l'équipe CNCD si "
        "vous avez choisi de leur partager votre plan."
    )
    source = _("Saisi par vous sur la page « Mon plan de développement » du parcours.")
    return [
        PersonalDataKind(
            key="parcours-plan",
            label=_("Plan de développement : réglages"),
            description=_(
                "Les niveaux attendus auxquels vous comparez votre auto-évaluation (fiche commune ou personnelle) "
                "et avec qui vous partagez votre plan."
            ),
            source=source,
            purpose=_("Vous aider à progresser : relier votre auto-évaluation, les formations et vos pairs."),
            legal_basis=basis,
            retention=retention,
            recipients=recipients,
            models=(DevelopmentPlan,),
            export=plans.plan_export,
            erase=plans.plan_erase,
            order=610,
            columns=("reference", "shared_with_mentors", "shared_with_team", "created_at", "updated_at"),
        ),
        PersonalDataKind(
            key="parcours-plan-priorites",
            label=_("Plan de développement : priorités"),
            description=_("Les compétences que vous avez choisies comme priorités, dans votre ordre, et vos notes."),
            source=source,
            purpose=_("Vous aider à progresser sur les compétences que vous avez choisies."),
            legal_basis=basis,
            retention=retention,
            recipients=recipients,
            models=(PlanPriority,),
            export=plans.priorities_export,
            erase=plans.priorities_erase,
            order=611,
            columns=("order", "code", "note", "created_at"),
        ),
        PersonalDataKind(
            key="parcours-plan-actions",
            label=_("Plan de développement : actions"),
            description=_(
                "Les actions de votre plan : formation, ressource, échange avec un·e pair ou autre, compétence "
                "visée, échéance, état, date de réalisation, notes, et la date du rappel d'échéance envoyé."
            ),
            source=source,
            purpose=_("Vous aider à tenir votre plan et vous rappeler une échéance passée."),
            legal_basis=basis,
            retention=retention,
            recipients=recipients,
            models=(PlanAction,),
            export=plans.actions_export,
            erase=plans.actions_erase,
            order=612,
            columns=(
                "title",
                "kind",
                "code",
                "training",
                "resource",
                "peer",
                "target_date",
                "status",
                "done_on",
                "note",
                "reminded_at",
                "created_at",
                "updated_at",
            ),
        ),
    ]


def _mentoring_kinds() -> list:
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from training import mentoring, welcome
    from training.models import MentoringRequest, MentorOffer, WelcomeStepDone

    # WelcomeStep is the team's content (no person in it): the guard test does not ask for it.
    retention = _("Tant que votre compte existe ; supprimé avec lui.")
    return [
        PersonalDataKind(
            key="parcours-accompagnement-propositions",
            label=_("Accompagnement entre pairs : mes propositions d'aide"),
            description=_("Les compétences sur lesquelles vous avez proposé d'accompagner vos pairs, et depuis quand."),
            source=_("Saisi par vous sur la page « Proposer mon aide » du parcours."),
            purpose=_("Permettre aux membres qui cherchent de l'aide sur ces compétences de vous trouver."),
            legal_basis=_("Votre consentement, que vous retirez à tout moment sur la même page (RGPD, article 6.1.a)."),
            retention=_("Jusqu'à ce que vous arrêtiez de proposer votre aide ; supprimé avec votre compte."),
            recipients=_(
                "Les membres validé·es du réseau qui cherchent de l'aide sur ces compétences voient votre nom "
                "affiché et votre conseil (jamais votre niveau ni vos coordonnées)."
            ),
            models=(MentorOffer,),
            export=mentoring.offers_export,
            erase=mentoring.offers_erase,
            order=630,
            columns=("code", "created_at"),
        ),
        PersonalDataKind(
            key="parcours-accompagnement-demandes",
            label=_("Accompagnement entre pairs : demandes envoyées et reçues"),
            description=_(
                "Les demandes d'accompagnement que vous avez envoyées ou reçues : l'autre membre (son nom affiché), "
                "la compétence, le message, l'état, la réponse et les dates. Une demande est un échange privé entre "
                "deux membres, qui mêle les mots de l'un·e et de l'autre : quand l'un·e des deux supprime son "
                "compte, la demande est supprimée pour les deux (l'autre garde ce que vous vous êtes écrit par "
                "e-mail après une acceptation). La garder d'un seul côté laisserait vos messages à une personne "
                "qui ne peut plus vous répondre, ou sa demande sans personne pour y donner suite."
            ),
            source=_("Saisi par vous et par l'autre membre sur les pages d'accompagnement du parcours."),
            purpose=_(
                "Transmettre une demande d'aide et sa réponse, et ne partager les adresses e-mail qu'une fois la "
                "demande acceptée."
            ),
            legal_basis=_("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=retention,
            recipients=_(
                "Les deux membres de la demande seulement. Votre adresse e-mail n'est montrée à l'autre que si la "
                "demande est acceptée, et seulement sur la page de la demande."
            ),
            models=(MentoringRequest,),
            export=mentoring.requests_export,
            erase=mentoring.requests_erase,
            order=631,
            columns=(
                "direction",
                "other_member",
                "code",
                "message",
                "status",
                "response",
                "created_at",
                "decided_at",
            ),
        ),
        PersonalDataKind(
            key="parcours-arrivee-etapes",
            label=_("Parcours d'arrivée : étapes franchies"),
            description=_("Les étapes du parcours d'arrivée que vous avez cochées, et quand."),
            source=_("Coché par vous sur la page « Mon parcours d'arrivée »."),
            purpose=_("Vous montrer où vous en êtes de vos premiers pas dans le réseau."),
            legal_basis=_("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=retention,
            recipients=_("Vous seul·e ; l'équipe CNCD voit seulement combien de membres ont franchi chaque étape."),
            models=(WelcomeStepDone,),
            export=welcome.steps_done_export,
            erase=welcome.steps_done_erase,
            order=632,
            columns=("step", "done_at"),
        ),
    ]


def _portfolio_kinds() -> list:
    return []


def register() -> None:
    for kind in [
        *_catalogue_kinds(),
        *_plans_kinds(),
        *_mentoring_kinds(),
        *_portfolio_kinds(),
    ]:
        personal_data_register(kind)
