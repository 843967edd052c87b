"""The exchange app's demo content (devtools seed_demo), idempotent. Each area seeds its own part."""


# --- Spaces area (exq) ------------------------------------------------------------------------------

THEME_SPACES = [
    (
        "animation",
        "Animation et méthodes participatives",
        "Faire travailler un conseil, une plénière, des habitant·es : méthodes, retours, astuces.",
    ),
    (
        "cadre-juridique",
        "Cadre juridique et relations avec les élu·es",
        "Saisines, autosaisines, conventions, statut du conseil, dialogue avec l'exécutif.",
    ),
    (
        "communication",
        "Communication et valorisation des travaux",
        "Faire connaître les avis, rendre compte, toucher le grand public et les élu·es.",
    ),
    (
        "ia-outils-numeriques",
        "IA et outils numériques",
        "Outils en ligne, intelligence artificielle, données : ce qui aide et ce qui pose question.",
    ),
    (
        "premiers-pas",
        "Premiers pas dans le poste",
        "Vous arrivez ? Posez toutes vos questions, même celles qui paraissent évidentes.",
    ),
]

# (space slug, asker key, title, body, discussion, tags, resource title, answers, accepted answer index, useful)
# Answers: (author key, body). Keys: "lea" (the demo technician), "equipe" (the team), "t0".."t9" (technicians).
DEMO_THREADS = [
    (
        "cadre-juridique",
        "lea",
        "Comment gérez-vous une autosaisine quand la présidence de l'intercommunalité est réticente ?",
        "Notre bureau veut s'autosaisir sur les mobilités du quotidien. Le président de l'agglomération nous a "
        "fait comprendre que ce n'était « pas le moment ». Comment avez-vous fait dans vos conseils ?\n\n"
        "- faut-il un vote du bureau ?\n- informez-vous l'exécutif avant ou après ?",
        False,
        ["C-INS-06", "M2.A3"],
        "Une autosaisine sur les mobilités du quotidien, de l'enquête à l'avis",
        [
            (
                "t0",
                "Chez nous, l'autosaisine est votée en bureau puis **annoncée** par courrier au président, avec le "
                "calendrier. L'annoncer avant de commencer a évité le sentiment d'être mis devant le fait accompli.",
            ),
            (
                "t1",
                "Relisez votre règlement intérieur : le nôtre prévoit explicitement le droit d'autosaisine. "
                "Nous l'avons rappelé en réunion avec le DGS, sans conflit.",
            ),
            (
                "equipe",
                "La loi (article L5211-10-1 du CGCT) permet au conseil de se saisir de toute question "
                "relative au territoire.",
            ),
        ],
        0,
        ["lea", "t2", "t3"],
    ),
    (
        "cadre-juridique",
        "t2",
        "Qui a une convention type entre le conseil et la présidence de l'EPCI ?",
        "Nous préparons une convention de moyens (secrétariat, budget, accès aux données). Quelqu'un a-t-il un "
        "modèle récent, signé, à partager ?",
        False,
        ["C-INS-02"],
        "Trame de convention entre le conseil et l'intercommunalité",
        [
            (
                "lea",
                "Il y a une trame dans la boîte à outils, nous l'avons adaptée en ajoutant un article sur les données.",
            ),
            ("t4", "Pensez à prévoir une clause de revoyure à mi-mandat, c'est ce qui nous a sauvés."),
        ],
        0,
        ["t2", "t5"],
    ),
    (
        "animation",
        "t3",
        "Débat mouvant avec 80 personnes : ça tient ?",
        "Je dois animer une plénière d'environ 80 membres. Le débat mouvant me tente, mais j'ai peur que la salle "
        "soit trop petite et que seuls les habitués parlent. Des retours ?",
        False,
        ["C-ANI-02"],
        "Débat mouvant : prendre position en se déplaçant",
        [
            (
                "t5",
                "Ça tient très bien à 80 si vous limitez à trois affirmations et donnez la parole d'abord "
                "à ceux qui ont le moins bougé.",
            ),
            ("lea", "Nous avions mis deux micros, un de chaque côté : cela a beaucoup aidé les plus timides."),
            (
                "t6",
                "> Ça tient très bien à 80 si vous limitez à trois affirmations\n\nJe confirme, "
                "et prévoyez un ou une gardienne du temps.",
            ),
        ],
        0,
        ["t3", "t7", "lea"],
    ),
    (
        "animation",
        "lea",
        "Vos idées pour accueillir les nouveaux membres après le renouvellement",
        "Le conseil vient d'être renouvelé (tirage au sort en partie). Je cherche des idées pour la première "
        "séance : brise-glace, présentation du rôle du conseil, mise en binômes…",
        True,
        ["C-ANI-01"],
        "Photolangage pour accueillir les nouveaux membres",
        [
            ("t7", "Le photolangage marche très bien pour se présenter sans se mettre en avant."),
            (
                "t8",
                "Nous faisons un jeu de l'oie sur « ce que fait un conseil de développement » : ludique et instructif.",
            ),
        ],
        None,
        ["lea"],
    ),
    (
        "communication",
        "t4",
        "Comment présenter un avis aux élu·es en dix minutes ?",
        "On me donne dix minutes en conseil communautaire pour présenter notre avis sur le projet de territoire. "
        "Comment faites-vous pour que ce soit écouté ?",
        False,
        ["C-VAL-06"],
        "Présenter le rapport d'activité au conseil communautaire en dix minutes",
        [
            ("t9", "Trois messages, pas plus, et un membre du conseil qui témoigne plutôt que la technicienne seule."),
        ],
        0,
        ["t4"],
    ),
    (
        "communication",
        "t5",
        "Faut-il une lettre d'information pour le grand public ?",
        "Nous hésitons entre une lettre d'information trimestrielle et des publications plus courtes sur les "
        "réseaux de la collectivité. Qu'est-ce qui marche chez vous ?",
        False,
        [],
        "",
        [],
        None,
        [],
    ),
    (
        "ia-outils-numeriques",
        "t6",
        "Transcrire les séances avec une IA : quelles précautions ?",
        "On nous propose un outil de transcription automatique des séances. Quelles précautions avez-vous prises "
        "(consentement, hébergement des enregistrements, relecture) ?",
        False,
        ["C-TRA-06"],
        "Transcrire les enregistrements de séance avec Whisper, sur un poste de la collectivité",
        [
            (
                "lea",
                "Nous faisons tourner Whisper sur un poste de la collectivité : rien ne sort, "
                "et chacun est prévenu en début de séance.",
            ),
            ("t0", "Prévoyez toujours une relecture humaine : les noms propres sont souvent écorchés."),
        ],
        0,
        ["t6", "t1"],
    ),
    (
        "ia-outils-numeriques",
        "t7",
        "Un outil libre pour les questionnaires en ligne ?",
        "Nous voulons éviter les outils qui hébergent les réponses hors d'Europe. LimeSurvey ? Autre chose ?",
        False,
        [],
        "Questionnaires en ligne avec LimeSurvey, hébergé par la collectivité",
        [("t8", "LimeSurvey hébergé par le service informatique de l'agglo, depuis trois ans, sans souci.")],
        None,
        ["t7"],
    ),
    (
        "premiers-pas",
        "t8",
        "Première semaine en poste : par quoi commencer ?",
        "J'arrive dans un conseil de développement sans avoir jamais travaillé dans une collectivité. Par quoi "
        "commenceriez-vous ?",
        False,
        ["M1.A1"],
        "",
        [
            (
                "t9",
                "Rencontrer la présidence du conseil, puis le DGS, puis lire les trois derniers avis. "
                "Le reste viendra.",
            ),
            (
                "equipe",
                "Bienvenue ! Le référentiel métier et la fiche de poste de la plateforme vous donneront les repères.",
            ),
        ],
        1,
        ["t8", "lea"],
    ),
]


def _demo_users() -> dict:
    from members.demo import demo_technician_emails
    from members.enums import AccountStatus
    from members.models import User

    users = {}
    for key, email in (("lea", "technicienne@demo.codev-reseau.fr"), ("equipe", "equipe@demo.codev-reseau.fr")):
        user = User.objects.filter(email=email).first()
        if user is not None:
            users[key] = user
    technicians = User.objects.filter(email__in=demo_technician_emails(), status=AccountStatus.APPROVED).order_by("pk")
    for index, user in enumerate(technicians[:10]):
        users[f"t{index}"] = user
    return users


def _seed_spaces() -> None:
    """Demo content of the spaces area (spaces and questions, answers, mentions, peers, search)."""
    from django.db.models import Q

    from exchange import services
    from exchange.enums import SpaceKind, TagKind
    from exchange.models import Question, Space
    from toolbox.models import Resource

    for position, (slug, name, description) in enumerate(THEME_SPACES):
        Space.objects.get_or_create(
            slug=slug,
            defaults={"kind": SpaceKind.THEME, "name": name, "description": description, "position": position},
        )
    services.region_spaces_ensure()
    users = _demo_users()
    fallback = users.get("lea")
    if fallback is None:
        return
    titles = _framework_titles()
    for space_slug, asker, title, body, discussion, codes, resource_title, answers, accepted, useful in DEMO_THREADS:
        if Question.objects.filter(title=title).exists():
            continue
        space = Space.objects.get(slug=space_slug)
        tags = [services.TagData(_tag_kind(code, TagKind), code, titles.get(code, "")) for code in codes]
        resources = list(Resource.objects.filter(Q(title=resource_title))[:1]) if resource_title else []
        question = services.question_ask(
            user=users.get(asker, fallback),
            space=space,
            title=title,
            body=body,
            is_discussion=discussion,
            tags=tags,
            resources=resources,
            rate_limited=False,
        )
        posted = []
        for author, text in answers:
            author_user = users.get(author, fallback)
            posted.append(services.answer_post(question=question, user=author_user, body=text, rate_limited=False))
        if accepted is not None and posted and not discussion:
            services.answer_accept(answer=posted[accepted], user=question.author)
        for key in useful:
            user = users.get(key)
            for answer in posted[:1]:
                if user is not None and user.pk != answer.author_id:
                    services.useful_toggle(answer=answer, user=user)


def _tag_kind(code: str, kinds) -> str:
    if code.startswith("C-"):
        return kinds.COMPETENCE
    return kinds.ACTIVITY if ".A" in code else kinds.MISSION


def _framework_titles() -> dict[str, str]:
    from toolbox.forms import framework_choices

    _groups, by_code = framework_choices()
    return {code: link.title for code, link in by_code.items()}


# (first key, second key, messages as (sender key, text, days ago)). Both members accept messages. The last
# message of the first conversation is not read by Léa (the demo technician): she finds one unread conversation.
DEMO_CONVERSATIONS = [
    (
        "lea",
        "t0",
        [
            (
                "t0",
                "Bonjour Léa, j'ai vu votre question sur l'autosaisine. Nous sommes passés par là l'an dernier : "
                "voulez-vous que je vous envoie notre courrier au président ?",
                3,
            ),
            ("lea", "Volontiers, merci ! Et s'il y avait eu une réponse de sa part, elle m'intéresse aussi.", 2),
            (
                "t0",
                "Je vous le dépose dans la boîte à outils cette semaine. La réponse du président tenait en deux "
                "lignes : il prenait acte et proposait une rencontre avec le bureau.",
                1,
            ),
        ],
    ),
    (
        "lea",
        "t1",
        [
            ("t1", "Merci pour la trame de convention ! Avez-vous gardé l'article sur l'accès aux données ?", 6),
            ("lea", "Oui, tel quel : le service juridique de l'agglomération l'a accepté sans changement.", 5),
        ],
    ),
]


def _seed_messages() -> None:
    """Demo content of the messages area: Léa and two technicians accept messages and wrote to each other; the
    last message of one conversation waits for Léa. Messages are dated in the past days; the rows are written
    directly (as exchange.messaging.message_send would), so that the rate limits of new accounts, counted on the
    posts the demo has just seeded, do not refuse them. Idempotent: a pair that has a conversation is skipped."""
    from datetime import timedelta

    from django.utils import timezone

    from exchange import messaging
    from exchange.models import Conversation, ConversationMember, Message

    users = _demo_users()
    now = timezone.now()
    for first_key, second_key, messages in DEMO_CONVERSATIONS:
        first, second = users.get(first_key), users.get(second_key)
        if first is None or second is None or first.pk == second.pk:
            continue
        for user in (first, second):
            if not messaging.accepts_messages(user):
                messaging.preference_set(user=user, accepts=True)
        pair = messaging.pair_of(first.pk, second.pk)
        if Conversation.objects.filter(pair=pair).exists():
            continue
        started = now - timedelta(days=messages[0][2])
        conversation = Conversation.objects.create(pair=pair)
        Conversation.objects.filter(pk=conversation.pk).update(created_at=started)
        last_read = {}
        for sender_key, text, days_ago in messages:
            sender = users[sender_key]
            message = Message.objects.create(conversation=conversation, sender=sender, body=text)
            sent_at = now - timedelta(days=days_ago)
            Message.objects.filter(pk=message.pk).update(created_at=sent_at)
            last_read[sender.pk] = sent_at  # writing is reading what came before
        Conversation.objects.filter(pk=conversation.pk).update(last_message_at=sent_at)
        for member in (first, second):
            ConversationMember.objects.create(
                conversation=conversation, user=member, last_read_at=last_read.get(member.pk)
            )


def _seed_network() -> None:
    """Demo content of the network area: Léa (the demo technician) follows her region's space and a référentiel
    code; an answer of a demo thread mentions a member (with its Mention row and the notification). Idempotent."""
    from exchange import follows, mentions, services
    from exchange.enums import SpaceKind
    from exchange.models import Answer, Mention, Space
    from members.models import Profile, Region

    users = _demo_users()
    lea = users.get("lea")
    if lea is None:
        return
    # Her region: the region of her council's first département (as members.home reads it).
    council_id = Profile.objects.filter(user=lea).values_list("council_id", flat=True).first()
    region = Region.objects.filter(departments__councils=council_id).order_by("code").first() if council_id else None
    space = Space.objects.filter(kind=SpaceKind.REGION, region=region).first() if region is not None else None
    if space is None:
        space = Space.objects.filter(slug="cadre-juridique").first()
    if space is not None:
        follows.follow_add(user=lea, target=space)
    follows.follow_add(user=lea, target=DEMO_FOLLOWED_CODE)
    # "Relisez votre règlement intérieur…" (the autosaisine thread) mentions the technician who answered first.
    answer = (
        Answer.objects.filter(body__startswith=MENTIONING_ANSWER, question__title=DEMO_THREADS[0][2])
        .select_related("question")
        .first()
    )
    mentioned = users.get("t0")
    if answer is None or mentioned is None or Mention.objects.filter(answer=answer).exists():
        return
    handle = mentions.handle_of(mentioned.pk)
    if handle is None or mentioned.pk == answer.author_id:
        return
    answer.body = f"{answer.body}\n\n@{handle} a un modèle de courrier au président, voyez sa réponse."
    answer.body_html = services.render_body(answer.body)
    answer.save(update_fields=["body", "body_html"])
    services.search_refresh(answer.question)
    mentions.mentions_apply(answer, actor=answer.author)


DEMO_FOLLOWED_CODE = "C-INS-06"
MENTIONING_ANSWER = "Relisez votre règlement intérieur"


def _seed_moderation() -> None:
    """Demo content of the moderation area: one open report, so that the team's queue shows how it works."""
    from exchange import moderation
    from exchange.models import Answer, Report

    if Report.objects.exists():
        return
    users = _demo_users()
    reporter = users.get("t1") or users.get("lea")
    if reporter is None:
        return
    answer = Answer.objects.filter(hidden_at__isnull=True).exclude(author=reporter).order_by("pk").first()
    if answer is None:
        return
    moderation.report_create(
        reporter=reporter,
        reason="Cette réponse cite nommément un élu et son numéro de portable : à retirer ?",
        answer=answer,
    )


def seed() -> None:
    _seed_spaces()
    _seed_network()
    _seed_messages()
    _seed_moderation()
