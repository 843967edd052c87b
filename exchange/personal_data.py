"""What the exchange app keeps about a person (core.personal_data), registered in its AppConfig.ready().

Each area declares the kinds of its own models in its function below; `register()` joins them. The guard
test (tests/core/test_personal_data_registry.py) fails for any model about people left undeclared.
"""

from core.personal_data import personal_data_register


def _spaces_kinds() -> list:
    """Personal-data kinds of the spaces area: see exchange/personal_data_spaces.py and docs/entraide.md."""
    from exchange.personal_data_spaces import kinds

    return kinds()


def _messages_kinds() -> list:
    """Personal-data kinds of the messages area (private messages, blocks): see docs/entraide.md, "Messages privés"."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from exchange import messaging
    from exchange.models import Block, Conversation, ConversationMember, Message, MessagingPreference

    retention = _("Tant que votre compte existe ; supprimé avec lui.")
    return [
        PersonalDataKind(
            key="entraide-messages-preference",
            label=_("Messages privés : votre choix de les recevoir"),
            description=_("Si vous acceptez les messages privés des membres, et depuis quand (désactivé par défaut)."),
            source=_("Saisi par vous sur la page « Mes messages › Préférences »."),
            purpose=_("Ne laisser vous écrire que si vous l'avez choisi."),
            legal_basis=_("Consentement (RGPD, article 6.1.a) : vous le retirez à tout moment sur la même page."),
            retention=retention,
            recipients=_("Vous ; les membres voient seulement s'ils peuvent vous écrire."),
            models=(MessagingPreference,),
            export=messaging.preference_export,
            erase=messaging.preference_erase,
            order=730,
            columns=("accepte_les_messages", "modifie_le"),
        ),
        PersonalDataKind(
            key="entraide-messages-blocages",
            label=_("Messages privés : membres bloqués"),
            description=_(
                "Les membres que vous avez bloqués, et depuis quand. Les blocages que d'autres membres ont posés sur "
                "vous sont leur choix privé : ils ne figurent pas dans votre archive (RGPD, article 15.4)."
            ),
            source=_("Vos clics sur « Bloquer ce membre » (profil ou conversation)."),
            purpose=_("Empêcher ces membres de vous écrire, sans les en prévenir."),
            legal_basis=_("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=_("Jusqu'à ce que vous débloquiez le membre ; supprimés avec votre compte (dans les deux sens)."),
            recipients=_("Vous seul·e : le membre bloqué n'en est pas prévenu."),
            models=(Block,),
            export=messaging.blocks_export,
            erase=messaging.blocks_erase,
            order=731,
            columns=("membre_bloque", "depuis_le"),
        ),
        PersonalDataKind(
            key="entraide-conversations",
            label=_("Messages privés : vos conversations"),
            description=_(
                "Pour chaque conversation : l'autre membre (son nom affiché), les dates de début, du dernier message, "
                "de votre dernière lecture et d'archivage, le nombre de messages envoyés et reçus."
            ),
            source=_("Vos messages et ceux de l'autre membre, sur les pages « Mes messages »."),
            purpose=_("Vous permettre d'échanger avec un·e pair sans montrer votre adresse e-mail."),
            legal_basis=_("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=retention,
            recipients=_("Les deux membres de la conversation seulement (pas l'équipe CNCD)."),
            models=(Conversation, ConversationMember),
            export=messaging.conversations_export,
            erase=messaging.memberships_erase,
            order=732,
            columns=(
                "conversation",
                "autre_membre",
                "commencee_le",
                "dernier_message_le",
                "lue_jusqu_au",
                "archivee_le",
                "messages_envoyes",
                "messages_recus",
            ),
        ),
        PersonalDataKind(
            key="entraide-messages-envoyes",
            label=_("Messages privés : vos messages"),
            description=_(
                "Les messages privés que vous avez écrits, avec leur destinataire et leur date, et le motif de "
                "l'équipe CNCD si elle en a masqué un. Les messages reçus sont les textes de l'autre membre : ils "
                "restent lisibles sur le site, mais ne sont pas dans votre archive (RGPD, article 15.4)."
            ),
            source=_("Saisis par vous sur les pages « Mes messages »."),
            purpose=_("Vous permettre d'échanger avec un·e pair sans montrer votre adresse e-mail."),
            legal_basis=_("Exécution du service que vous demandez (RGPD, article 6.1.b)."),
            retention=_(
                "Tant que votre compte existe. À sa suppression, le texte de vos messages est effacé : l'autre membre "
                "lit « Message effacé avec le compte de son auteur·rice » à leur place, et garde ses propres messages."
            ),
            recipients=_(
                "L'autre membre de la conversation ; l'équipe CNCD lit seulement un message qui lui est signalé."
            ),
            models=(Message,),
            export=messaging.messages_export,
            erase=messaging.messages_erase,
            order=733,
            columns=("conversation", "a", "envoye_le", "message", "masque_le", "motif_du_masquage"),
        ),
    ]


def _moderation_reports_export(user) -> list[dict]:
    """The questions, answers and private messages `user` reported to the CNCD team, why, and what became of it."""
    from exchange.models import Report

    rows = Report.objects.filter(reporter=user).order_by("created_at", "pk")
    return [
        {
            "question": report.question_id or "",
            "reponse": report.answer_id or "",
            "message_prive": report.message_id or "",
            "motif": report.reason,
            "etat": str(report.get_status_display()),
            "signale_le": report.created_at.isoformat(),
            "traite_le": report.decided_at.isoformat() if report.decided_at else "",
        }
        for report in rows
    ]


def _moderation_reports_erase(user) -> None:
    """Delete `user`'s reports already decided; keep those still waiting (without their name) for the team."""
    from exchange.enums import ReportStatus
    from exchange.models import Report

    # A waiting report keeps the post in the moderation queue: erasing an account must not let it escape review.
    Report.objects.filter(reporter=user).exclude(status=ReportStatus.OPEN).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
    # The team's decisions stay (the audit log keeps who decided); the erased account is no longer named.
    Report.objects.filter(decided_by=user).update(decided_by=None)


def _moderation_kinds() -> list:
    """Personal-data kinds of the moderation area (reports, hide/restore, lock, move, rate limits)."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind, personal_data_exempt
    from exchange.models import Report, Space

    # The team's spaces (managed in the moderation area): a space's name names a theme or a region, not a person.
    personal_data_exempt(
        Space, reason=_("Un espace d'entraide porte le nom d'un thème ou d'une région, choisi par l'équipe CNCD.")
    )
    return [
        PersonalDataKind(
            key="entraide-signalements",
            label=_("Entraide : signalements"),
            description=_(
                "Les questions, réponses et messages privés que vous avez signalés à l'équipe CNCD, votre motif et "
                "la décision prise."
            ),
            source=_("Saisis par vous avec le lien « Signaler » de l'entraide."),
            purpose=_("Permettre à l'équipe CNCD de modérer l'entraide et de vous dire ce qu'elle a décidé."),
            legal_basis=_(
                "Intérêt légitime de la CNCD à garder un espace d'échange respectueux (RGPD, article 6.1.f)."
            ),
            retention=_(
                "Tant que votre compte existe ; à sa suppression, les signalements traités sont supprimés et ceux en "
                "attente restent, sans votre nom, jusqu'à la décision de l'équipe."
            ),
            recipients=_("L'équipe CNCD seule ; la personne dont le contenu est signalé ne sait pas qui l'a signalé."),
            models=(Report,),
            export=_moderation_reports_export,
            erase=_moderation_reports_erase,
            order=740,
            columns=("question", "reponse", "message_prive", "motif", "etat", "signale_le", "traite_le"),
        )
    ]


def _iso(value):
    return value.isoformat() if value is not None else None


def _network_follows_export(user) -> list[dict]:
    from exchange.models import ExchangeFollow

    rows = ExchangeFollow.objects.filter(user=user).select_related("space", "question").order_by("created_at", "pk")
    return [
        {
            "suivi": str(follow.get_target_display()),
            "espace": follow.space.name if follow.space_id else "",
            "question": follow.question.title if follow.question_id else "",
            "code": follow.code,
            "depuis_le": _iso(follow.created_at),
        }
        for follow in rows
    ]


def _network_follows_erase(user) -> None:
    from exchange.models import ExchangeFollow

    ExchangeFollow.objects.filter(user=user).delete()


def _network_mentions_export(user) -> list[dict]:
    from exchange.models import Mention

    rows = Mention.objects.filter(user=user).select_related("question", "answer__question").order_by("created_at")
    return [
        {
            "dans": "réponse" if mention.answer_id else "question",
            "question": (mention.answer.question if mention.answer_id else mention.question).title,
            "le": _iso(mention.created_at),
        }
        for mention in rows
    ]


def _network_mentions_erase(user) -> None:
    from exchange.models import Mention

    Mention.objects.filter(user=user).delete()


def _network_invitations_export(user) -> list[dict]:
    from django.db.models import Q

    from exchange.models import AnswerInvitation

    rows = (
        AnswerInvitation.objects.filter(Q(invited=user) | Q(invited_by=user))
        .select_related("question", "invited__profile", "invited_by__profile")
        .order_by("created_at", "pk")
    )
    return [
        {
            "sens": "reçue" if invitation.invited_id == user.pk else "envoyée",
            "question": invitation.question.title,
            "autre_membre": str(invitation.invited_by or "")
            if invitation.invited_id == user.pk
            else str(invitation.invited),
            "le": _iso(invitation.created_at),
        }
        for invitation in rows
    ]


def _network_invitations_erase(user) -> None:
    """Received invitations are deleted; sent ones stay for the invited peer, no longer naming the person."""
    from exchange.models import AnswerInvitation

    AnswerInvitation.objects.filter(invited=user).delete()
    AnswerInvitation.objects.filter(invited_by=user).update(invited_by=None)


def _network_kinds() -> list:
    """Personal-data kinds of the network area (follows, mentions, peers)."""
    from django.utils.translation import gettext_lazy as _

    from core.personal_data import PersonalDataKind
    from exchange.models import AnswerInvitation, ExchangeFollow, Mention

    return [
        PersonalDataKind(
            key="entraide-abonnements",
            label=_("Abonnements dans l'entraide"),
            description=_(
                "Les espaces que vous avez rejoints, les questions et les éléments du référentiel que vous suivez."
            ),
            source=_(
                "Vos clics sur « Rejoindre l'espace » et « Suivre » ; les questions que vous posez ou auxquelles "
                "vous répondez sont suivies automatiquement."
            ),
            purpose=_("Vous notifier des nouvelles questions et réponses qui vous intéressent."),
            legal_basis=_("Consentement (RGPD, article 6.1.a) : vous pouvez vous désabonner à tout moment."),
            retention=_("Tant que votre compte existe ; supprimés avec lui."),
            recipients=_("Vous seul·e (la page « Mes abonnements »)."),
            models=(ExchangeFollow,),
            export=_network_follows_export,
            erase=_network_follows_erase,
            order=720,
            columns=("suivi", "espace", "question", "code", "depuis_le"),
        ),
        PersonalDataKind(
            key="entraide-mentions",
            label=_("Mentions dans l'entraide"),
            description=_("Les questions et réponses où un·e membre vous a mentionné·e (@identifiant)."),
            source=_("Le texte écrit par l'auteur·rice de la question ou de la réponse."),
            purpose=_("Vous notifier une seule fois par message, même s'il est modifié ensuite."),
            legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : l'entraide entre membres du réseau."),
            retention=_(
                "Tant que le message et votre compte existent ; supprimées avec votre compte (la mention reste "
                "écrite dans le texte de son auteur·rice, sans lien vers votre profil)."
            ),
            recipients=_("Vous ; le texte qui vous mentionne est lu par les membres du réseau."),
            models=(Mention,),
            export=_network_mentions_export,
            erase=_network_mentions_erase,
            order=721,
            columns=("dans", "question", "le"),
        ),
        PersonalDataKind(
            key="entraide-invitations",
            label=_("Invitations à répondre"),
            description=_("Les invitations à répondre à une question que vous avez reçues ou envoyées."),
            source=_("Le bouton « Inviter à répondre » de la page d'une question, parmi les pairs suggérés."),
            purpose=_("Faire se rencontrer une question et les pairs qui peuvent y répondre."),
            legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : l'entraide entre membres du réseau."),
            retention=_(
                "Tant que la question et votre compte existent ; à la suppression de votre compte, celles reçues "
                "sont supprimées et celles envoyées ne vous nomment plus."
            ),
            recipients=_("Vous et le ou la membre invité·e."),
            models=(AnswerInvitation,),
            export=_network_invitations_export,
            erase=_network_invitations_erase,
            order=722,
            columns=("sens", "question", "autre_membre", "le"),
        ),
    ]


def register() -> None:
    for kind in [
        *_spaces_kinds(),
        *_messages_kinds(),
        *_moderation_kinds(),
        *_network_kinds(),
    ]:
        personal_data_register(kind)
