"""The toolbox's demo content: resources written by the demo technicians, decided on by the demo CNCD team.

Methods, field reports of the demo councils, templates (each with a small PDF made with WeasyPrint),
digital tools (two of them AI, with an honest "usage responsable" block) and external resources, linked
to codes of the demo référentiel v1.0. Most are published, several public; one waits for the team, one
was sent back for changes, one is a draft of the demo technician. Some members marked them useful, said
they used them, commented. Created through the services, as members and the team would; once only.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from competences.models import Competence, FrameworkVersion
from members.demo import demo_technician_emails
from members.enums import AccountStatus
from members.models import Council, Profile, User
from missions.models import Activity, Mission
from toolbox import files, services
from toolbox.enums import Audience, Hosting, Licence, LinkKind, ResourceKind, ResourceStatus, TemplateKind
from toolbox.models import Resource

TECHNICIAN = "technicienne@demo.codev-reseau.fr"
CURATOR = "equipe@demo.codev-reseau.fr"
KARIM = "karim.benali@demo.codev-reseau.fr"
SOPHIE = "sophie.lemoine@demo.codev-reseau.fr"

# How each demo resource ends up.
PUBLIC, MEMBERS, SUBMITTED, CHANGES, DRAFT = "public", "membres", "soumise", "a-reprendre", "brouillon"


@dataclass(frozen=True)
class DemoResource:
    key: str
    kind: str
    title: str
    summary: str
    description: str
    fields: dict
    codes: tuple[str, ...]
    outcome: str = MEMBERS
    author: str = TECHNICIAN  # an email, or "technicien:<n>" for the n-th fictional technician
    council: str = ""  # a field report's council (members.demo DEMO_COUNCILS)
    licence: str = Licence.CC_BY_SA
    days_ago: int = 30  # published that long ago
    pdf: tuple[str, str] | None = None  # a template's file: (file name, HTML body)
    other_authors: str = ""
    reason: str = ""  # the team's message when it asks for changes
    extra: dict = field(default_factory=dict)


def _tech(index: int) -> str:
    return f"technicien:{index}"


# --- Méthodes d'animation ---------------------------------------------------------------------------

METHODS = [
    DemoResource(
        key="world-cafe",
        kind=ResourceKind.METHOD,
        title="World café : faire travailler une plénière en petites tables",
        summary="Des tables de quatre à six, des tours de vingt minutes, des nappes où l'on écrit : toute la "
        "plénière contribue, même les plus discrets.",
        description="Le world café recrée l'ambiance d'un café où l'on discute librement. Il convient bien au "
        "lancement d'une saisine ou d'une autosaisine, quand il s'agit de faire émerger des questions et des "
        "idées plutôt que de trancher.\n\nLe conseil garde la main sur les questions posées : le ou la "
        "technicien·ne les prépare avec le bureau, sans les écrire à sa place.",
        fields={
            "purpose": "Faire émerger les idées et les questions de tout un groupe sur un sujet, en croisant les "
            "points de vue d'une table à l'autre.",
            "group_min": 12,
            "group_max": 80,
            "duration_minutes": 120,
            "materials": "- Tables de 4 à 6 places\n- Nappes en papier kraft et feutres de couleur\n- Une "
            "question par tour, affichée en grand\n- Une clochette ou un signal sonore",
            "steps": "1. **Accueil** (10 min) : présenter le sujet, les règles (on écrit sur la nappe, on écoute, "
            "on relie les idées).\n2. **Premier tour** (20 min) : chaque table répond à la première question ; "
            "un·e hôte reste à la table.\n3. **Deuxième et troisième tours** (2 × 20 min) : les participant·es "
            "changent de table, l'hôte résume ce qui a été dit avant de relancer.\n4. **Récolte** (30 min) : "
            "chaque hôte présente les trois idées fortes de sa table ; on les regroupe au mur.\n5. **Suite** : "
            "le bureau choisit avec le groupe les pistes à creuser en commission.",
        },
        codes=("C-ANI-02", "C-ANI-01", "M1.A2"),
        outcome=PUBLIC,
        author=KARIM,
        days_ago=120,
        licence=Licence.CC_BY_SA,
    ),
    DemoResource(
        key="debat-mouvant",
        kind=ResourceKind.METHOD,
        title="Débat mouvant : prendre position en se déplaçant",
        summary="Une affirmation clivante, deux côtés de la salle : chacun se place, argumente et peut changer "
        "de camp. Idéal pour ouvrir un sujet qui divise.",
        description="Le débat mouvant rend visibles les désaccords et oblige à argumenter. Le séminaire du "
        "réseau l'a utilisé sur l'intelligence artificielle, en partie à distance : les personnes en visio "
        "indiquaient leur position par un geste à l'écran.",
        fields={
            "purpose": "Faire s'exprimer des positions contrastées et faire apparaître les arguments de chaque "
            "camp avant un travail de fond.",
            "group_min": 10,
            "group_max": 40,
            "duration_minutes": 45,
            "materials": "- Une salle dégagée, sans tables\n- Trois ou quatre affirmations préparées\n- Un "
            "paperboard pour noter les arguments",
            "steps": "1. Tracer une ligne au sol : d'un côté « d'accord », de l'autre « pas d'accord ».\n2. Lire "
            "l'affirmation (par exemple « Le conseil devrait pouvoir utiliser l'IA pour rédiger ses avis »).\n"
            "3. Chacun se place ; personne ne reste sur la ligne.\n4. Donner la parole à tour de rôle à chaque "
            "camp, une minute par personne ; qui est convaincu change de côté.\n5. Noter les arguments au fur "
            "et à mesure ; terminer par ce qui fait consensus.",
        },
        codes=("C-ANI-02", "C-ANI-03", "M1.A2"),
        outcome=PUBLIC,
        author=SOPHIE,
        days_ago=95,
        licence=Licence.CC_BY,
    ),
    DemoResource(
        key="porteur-de-parole",
        kind=ResourceKind.METHOD,
        title="Porteur de parole : aller chercher l'avis des habitant·es dans la rue",
        summary="Une question écrite en grand sur un panneau, sur un marché ou devant une gare : les passant·es "
        "répondent, leurs réponses sont affichées à côté.",
        description="Une méthode d'éducation populaire pour recueillir la parole de celles et ceux qui ne "
        "viennent jamais en réunion. Les membres du conseil tiennent le stand ; le ou la technicien·ne "
        "organise la logistique et les autorisations.",
        fields={
            "purpose": "Recueillir l'avis d'habitant·es éloigné·es de la participation et enrichir un avis du "
            "conseil de paroles du territoire.",
            "group_min": 4,
            "group_max": 10,
            "duration_minutes": 180,
            "materials": "- Un grand panneau avec la question\n- Des bandes de papier et du scotch pour afficher "
            "les réponses\n- Carnets pour noter les échanges\n- Autorisation d'occupation du domaine public",
            "steps": "1. Choisir une question ouverte et concrète (« Qu'est-ce qui vous ferait prendre le car plutôt "
            "que la voiture ? »).\n2. S'installer sur un lieu de passage à une heure d'affluence.\n3. Deux membres "
            "abordent les passant·es, un troisième note et affiche les phrases fortes.\n4. Photographier le "
            "panneau en fin de séance.\n5. Restituer en commission : classer les réponses, en tirer des pistes.",
        },
        codes=("C-ANI-09", "C-ANI-08", "M1.A5"),
        outcome=MEMBERS,
        author=_tech(0),
        days_ago=70,
    ),
    DemoResource(
        key="theatre-forum",
        kind=ResourceKind.METHOD,
        title="Théâtre forum : rejouer une situation pour chercher des solutions",
        summary="Des comédiennes et comédiens jouent une scène où tout se passe mal ; le public l'arrête, "
        "monte sur scène et essaie autre chose.",
        description="Utile pour aborder un sujet sensible (accueil des nouveaux membres, place des jeunes, "
        "relations avec les élu·es) sans mettre personne en cause. Il faut souvent une compagnie "
        "professionnelle : à prévoir dans le budget du conseil.",
        fields={
            "purpose": "Faire émerger des solutions concrètes à une situation vécue, en permettant à chacun "
            "de les essayer.",
            "group_min": 15,
            "group_max": 100,
            "duration_minutes": 150,
            "materials": "- Une compagnie de théâtre forum (ou des membres volontaires préparés)\n- Un espace "
            "scénique\n- Micro si la salle est grande",
            "steps": "1. Préparer avec la compagnie une scène courte inspirée de situations réelles.\n2. Jouer la "
            "scène une première fois en entier.\n3. La rejouer : le public dit « stop » et remplace un "
            "personnage pour tenter une autre réponse.\n4. Le ou la « joker » anime les échanges entre chaque "
            "essai.\n5. Récolter les solutions essayées et les retenir pour la suite.",
        },
        codes=("C-ANI-02", "C-TRA-06"),
        outcome=MEMBERS,
        author=_tech(1),
        days_ago=55,
    ),
    DemoResource(
        key="balade-urbaine",
        kind=ResourceKind.METHOD,
        title="Balade urbaine : le diagnostic en marchant",
        summary="Un parcours de deux heures à pied dans un quartier ou un bourg, avec des arrêts où l'on "
        "observe et où l'on note : le territoire devient le support de l'avis.",
        description="La balade est précieuse avant un avis sur un document d'urbanisme (PLUi, SCoT) : elle "
        "donne aux membres une expérience commune du terrain. Prévoir un parcours accessible et un repli "
        "en cas de pluie.",
        fields={
            "purpose": "Construire un diagnostic partagé d'un lieu à partir de l'observation de terrain.",
            "group_min": 8,
            "group_max": 25,
            "duration_minutes": 150,
            "materials": "- Un plan du parcours avec 5 à 7 arrêts\n- Fiches d'observation et crayons\n- Un "
            "appareil photo\n- Gilets visibles si le parcours longe une route",
            "steps": "1. Repérer le parcours avec un ou deux membres.\n2. À chaque arrêt, une question : « Qu'est-ce "
            "qui fonctionne ici ? Qu'est-ce qui manque ? »\n3. Chacun note sur sa fiche, puis on échange "
            "cinq minutes.\n4. Retour en salle : regrouper les observations sur une carte.\n5. Le groupe de "
            "travail en tire les points de l'avis.",
        },
        codes=("C-ANI-01", "C-INS-02", "M1.A1"),
        outcome=PUBLIC,
        author=_tech(2),
        days_ago=40,
    ),
    DemoResource(
        key="forum-ouvert",
        kind=ResourceKind.METHOD,
        title="Forum ouvert pour lancer le programme de travail annuel",
        summary="Les membres proposent eux-mêmes les sujets, forment les ateliers et en rendent compte : le "
        "programme de l'année naît de la salle.",
        description="Le forum ouvert favorise l'autonomie des membres : le ou la technicien·ne tient le cadre "
        "(horaires, salles, compte rendu) et n'intervient pas sur le fond.",
        fields={
            "purpose": "Construire le programme de travail du conseil à partir des envies de ses membres.",
            "group_min": 20,
            "group_max": 150,
            "duration_minutes": 240,
            "materials": "- Un grand mur libre (la « place du marché »)\n- Feuilles A3 et feutres\n- Plusieurs "
            "salles ou coins pour les ateliers",
            "steps": "1. Ouverture en cercle : le thème général, les quatre principes et la loi des deux pieds.\n"
            "2. Chacun peut proposer un atelier en l'affichant sur le mur.\n3. Ateliers de 45 minutes en "
            "parallèle, chacun rédige un court compte rendu.\n4. Clôture en cercle : lecture des comptes "
            "rendus, vote sur les priorités.",
        },
        codes=("C-ANI-04", "M1.A1"),
        outcome=SUBMITTED,
        author=_tech(3),
    ),
]


# --- Retours d'expérience ---------------------------------------------------------------------------

REPORTS = [
    DemoResource(
        key="autosaisine-mobilite",
        kind=ResourceKind.REPORT,
        title="Une autosaisine sur les mobilités du quotidien, de l'enquête à l'avis",
        summary="Huit mois de travail, 600 réponses à un questionnaire, trois ateliers ouverts : l'avis du "
        "conseil a été repris dans le plan de mobilité de la métropole.",
        description="Retour d'expérience présenté aux rencontres du réseau.",
        fields={
            "territory": "Métropole Rives-de-Loire (44)",
            "context": "Les membres constataient que les habitant·es des communes de la deuxième couronne étaient "
            "peu entendus dans la préparation du plan de mobilité. Le bureau a proposé une autosaisine, "
            "acceptée en plénière.",
            "actions": "- Un questionnaire en ligne et papier (600 réponses), diffusé par les mairies.\n- Trois "
            "ateliers ouverts dans des communes de la deuxième couronne.\n- Un groupe de travail de douze "
            "membres qui a rédigé l'avis, avec l'appui de la technicienne pour la mise en forme.\n- Une "
            "présentation de l'avis en commission mobilité de la métropole.",
            "results": "L'avis a été voté à l'unanimité. Deux de ses propositions (cars express le samedi, "
            "parkings relais sécurisés) figurent dans le plan de mobilité adopté ; la vice-présidente a "
            "répondu par écrit aux autres.",
            "pitfalls": "Ne pas lancer le questionnaire pendant les vacances scolaires. Prévoir dès le départ "
            "comment on rendra compte aux personnes qui ont répondu : nous l'avons fait trop tard.",
        },
        codes=("M2.A3", "C-INS-06", "C-VAL-06"),
        outcome=PUBLIC,
        council="Conseil de développement de la Métropole Rives-de-Loire",
        days_ago=85,
    ),
    DemoResource(
        key="renouvellement-tirage",
        kind=ResourceKind.REPORT,
        title="Renouveler le conseil par tirage au sort sur les listes électorales",
        summary="Pour rajeunir et diversifier le conseil, l'agglomération a tiré au sort 400 habitant·es ; "
        "28 ont rejoint le conseil.",
        description="",
        fields={
            "territory": "Val-d'Armor Agglomération (22)",
            "context": "Le conseil comptait 45 membres, en majorité retraités, et la parité n'était plus "
            "respectée. Le renouvellement de mi-mandat était l'occasion de changer de méthode.",
            "actions": "- Tirage au sort de 400 personnes sur les listes électorales, par quartier et par âge.\n"
            "- Un courrier signé du président du conseil et du président de l'agglomération, puis une "
            "relance téléphonique.\n- Deux soirées d'accueil pour expliquer le rôle du conseil.\n- Un "
            "binôme « ancien·ne membre – nouveau·elle membre » pendant six mois.",
            "results": "28 nouvelles et nouveaux membres, dont 11 de moins de 40 ans ; la parité est rétablie. "
            "Un an après, 22 sont toujours actifs.",
            "pitfalls": "La relance téléphonique prend du temps : prévoir l'appui d'un service. Éviter les "
            "réunions en journée, qui excluent les actifs.",
        },
        codes=("M1.A5", "C-ANI-08"),
        outcome=PUBLIC,
        council="Conseil de développement de Val-d'Armor Agglomération",
        author=_tech(4),
        days_ago=60,
    ),
    DemoResource(
        key="scot-rural",
        kind=ResourceKind.REPORT,
        title="Contribuer au SCoT d'un PETR rural avec des balades dans chaque vallée",
        summary="Un avis sur le SCoT construit à partir de six balades de terrain, une par bassin de vie : les "
        "membres ont parlé de ce qu'ils avaient vu ensemble.",
        description="",
        fields={
            "territory": "PETR du Pays des Trois Vallées (12, 46)",
            "context": "Le conseil était saisi sur le projet de SCoT. Les documents étaient volumineux et "
            "techniques ; beaucoup de membres ne se sentaient pas légitimes pour donner un avis.",
            "actions": "- Six balades d'une demi-journée, une par bassin de vie, avec un technicien du SCoT.\n- Une "
            "fiche d'observation commune.\n- Deux séances de travail pour transformer les observations en "
            "propositions.",
            "results": "Un avis de douze pages, concret, cité dans le rapport du commissaire enquêteur. Les "
            "membres disent avoir enfin compris le SCoT.",
            "pitfalls": "Caler les balades avec le calendrier de l'enquête publique, très serré. Prévoir du "
            "covoiturage : les distances sont grandes.",
        },
        codes=("M2.A2", "C-INS-05", "C-ANI-01"),
        outcome=MEMBERS,
        council="Conseil de développement du Pays des Trois Vallées",
        author=_tech(5),
        days_ago=45,
    ),
    DemoResource(
        key="rapport-conseil-communautaire",
        kind=ResourceKind.REPORT,
        title="Présenter le rapport d'activité au conseil communautaire en dix minutes",
        summary="Plutôt qu'une lecture du rapport, trois membres ont raconté une année du conseil avec des "
        "photos et une question posée aux élu·es.",
        description="",
        fields={
            "territory": "Communauté de communes du Haut-Bocage (85)",
            "context": "Le rapport d'activité était jusqu'ici adopté sans débat, en fin de séance du conseil "
            "communautaire.",
            "actions": "- Obtenir un passage en début d'ordre du jour, avec le président.\n- Trois membres "
            "présentent chacun·e un travail de l'année en trois minutes, avec une photo.\n- Une question "
            "posée aux élu·es : « Sur quel sujet aimeriez-vous nous saisir l'an prochain ? »",
            "results": "Vingt minutes de débat, deux saisines annoncées pour l'année suivante, et un article "
            "dans le magazine intercommunal.",
            "pitfalls": "Répéter la présentation la veille. Ne pas laisser la technicienne présenter à la place "
            "des membres : c'est leur travail.",
        },
        codes=("M3.A4", "C-VAL-05", "C-VAL-01"),
        outcome=MEMBERS,
        council="Conseil de développement du Haut-Bocage",
        author=_tech(6),
        days_ago=25,
    ),
]


# --- Trames et modèles --------------------------------------------------------------------------------

_PDF_STYLE = (
    "<style>body{font-family:sans-serif;font-size:11pt;line-height:1.4;margin:1.5cm}"
    "h1{font-size:16pt}h2{font-size:12pt;margin-top:1em}.note{color:#555;font-style:italic}</style>"
)


def _pdf_page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title>{_PDF_STYLE}</head>'
        f"<body><h1>{title}</h1>{body}<p class='note'>Trame partagée dans la boîte à outils du réseau des "
        "conseils de développement. Adaptez-la à votre territoire.</p></body></html>"
    )


TEMPLATES = [
    DemoResource(
        key="trame-saisine",
        kind=ResourceKind.TEMPLATE,
        title="Trame de lettre de saisine du conseil de développement",
        summary="La lettre par laquelle le président de l'intercommunalité saisit le conseil : objet, "
        "questions posées, calendrier, moyens, suites attendues.",
        description="Une saisine claire évite bien des malentendus : elle dit ce que l'on attend du conseil, "
        "pour quand, et comment la collectivité rendra compte des suites données.",
        fields={"template_kind": TemplateKind.REFERRAL},
        codes=("M2.A3", "C-INS-06", "C-INS-01"),
        outcome=PUBLIC,
        author=_tech(7),
        days_ago=110,
        licence=Licence.ETALAB,
        pdf=(
            "trame-lettre-de-saisine.pdf",
            "<p>[Lieu], le [date]</p><p>Madame la Présidente, Monsieur le Président du conseil de "
            "développement,</p><h2>Objet de la saisine</h2><p>En application de l'article L5211-10-1 du code "
            "général des collectivités territoriales, je souhaite recueillir l'avis du conseil de développement "
            "sur [objet].</p><h2>Questions posées au conseil</h2><ol><li>[Question 1]</li><li>[Question 2]</li>"
            "</ol><h2>Calendrier</h2><p>Avis attendu pour le [date], en vue de la délibération du [date].</p>"
            "<h2>Moyens mis à disposition</h2><p>[Documents, interlocuteurs dans les services, budget]</p>"
            "<h2>Suites</h2><p>La collectivité répondra par écrit à l'avis dans un délai de [durée].</p>"
            "<p>[Signature du président ou de la présidente de l'intercommunalité]</p>",
        ),
    ),
    DemoResource(
        key="trame-avis",
        kind=ResourceKind.TEMPLATE,
        title="Trame d'avis du conseil de développement",
        summary="Un plan d'avis en cinq parties, de la saisine aux recommandations, avec un encadré pour la "
        "méthode de travail.",
        description="Le plan est un point de départ : ce sont les membres qui écrivent l'avis. La trame aide "
        "à ne rien oublier (méthode, personnes entendues, vote).",
        fields={"template_kind": TemplateKind.OPINION},
        codes=("M1.A3", "C-ANI-06", "C-ANI-05"),
        outcome=PUBLIC,
        author=KARIM,
        days_ago=90,
        pdf=(
            "trame-avis.pdf",
            "<h2>1. La saisine</h2><p>Qui a saisi le conseil, quand, sur quelle question ; ou pourquoi le "
            "conseil s'est autosaisi.</p><h2>2. Notre méthode</h2><p>Séances, personnes auditionnées, "
            "participation des habitant·es.</p><h2>3. Ce que nous avons compris</h2><p>Le diagnostic partagé."
            "</p><h2>4. Nos recommandations</h2><ol><li>[Recommandation, et à qui elle s'adresse]</li></ol>"
            "<h2>5. Adoption</h2><p>Avis adopté en plénière le [date] ([nombre] voix pour, [nombre] contre, "
            "[nombre] abstentions).</p>",
        ),
    ),
    DemoResource(
        key="trame-rapport-activite",
        kind=ResourceKind.TEMPLATE,
        title="Trame de rapport d'activité annuel",
        summary="Le rapport que la loi demande chaque année au conseil, débattu en conseil communautaire : "
        "un plan simple et les chiffres à rassembler.",
        description="",
        fields={"template_kind": TemplateKind.ACTIVITY_REPORT},
        codes=("M3.A5", "C-VAL-01", "C-TRA-04"),
        outcome=MEMBERS,
        author=SOPHIE,
        days_ago=65,
        pdf=(
            "trame-rapport-activite.pdf",
            "<h2>Le mot de la présidence</h2><p>[Une page]</p><h2>Le conseil en chiffres</h2><ul><li>Membres "
            "(parité, âges, collèges)</li><li>Séances plénières et groupes de travail</li><li>Avis rendus, "
            "dont autosaisines</li></ul><h2>Les travaux de l'année</h2><p>Pour chaque avis : la question, la "
            "méthode, les recommandations, les suites données.</p><h2>La vie du conseil</h2><p>Accueil des "
            "nouveaux membres, formations, réseau.</p><h2>Perspectives</h2><p>[Programme de l'année à venir]</p>",
        ),
    ),
    DemoResource(
        key="trame-convention",
        kind=ResourceKind.TEMPLATE,
        title="Trame de convention entre le conseil et l'intercommunalité",
        summary="Ce que l'intercommunalité met à disposition du conseil et ce que le conseil s'engage à "
        "rendre : moyens, saisines, réponse aux avis, indépendance.",
        description="",
        fields={"template_kind": TemplateKind.AGREEMENT},
        codes=("M2.A1", "C-INS-03", "C-INS-07"),
        outcome=CHANGES,
        author=_tech(8),
        reason="Merci de préciser dans la trame l'article sur l'indépendance du conseil (liberté d'autosaisine, "
        "rédaction des avis par les membres) : c'est la question que posent le plus souvent les collègues.",
        pdf=(
            "trame-convention.pdf",
            "<p>Entre [nom de l'intercommunalité], représentée par [nom], et le conseil de développement, "
            "représenté par sa présidence,</p><h2>Article 1 – Objet</h2><p>La présente convention fixe les "
            "conditions dans lesquelles l'intercommunalité accompagne le conseil.</p><h2>Article 2 – Moyens"
            "</h2><p>Temps de travail d'un·e technicien·ne : [part], budget annuel : [montant], salles, "
            "communication.</p><h2>Article 3 – Saisines et avis</h2><p>Calendrier prévisionnel des saisines, "
            "réponse écrite aux avis dans un délai de [durée].</p><h2>Article 4 – Durée</h2><p>[Durée du "
            "mandat]</p>",
        ),
    ),
]


# --- Outils numériques --------------------------------------------------------------------------------

TOOLS = [
    DemoResource(
        key="transcription-locale",
        kind=ResourceKind.TOOL,
        title="Transcrire les enregistrements de séance avec Whisper, sur un poste de la collectivité",
        summary="Un modèle libre de reconnaissance vocale, installé sur un ordinateur du service : la "
        "transcription d'une heure de plénière prend une vingtaine de minutes, sans que l'audio sorte.",
        description="La transcription brute est un matériau de travail pour le compte rendu, pas le compte "
        "rendu lui-même.",
        fields={
            "tool_url": "https://github.com/openai/whisper",
            "is_ai": True,
            "use_purpose": "Obtenir une transcription écrite d'une séance enregistrée, pour retrouver une "
            "formulation exacte et préparer le compte rendu.",
            "data_flows": "Aucune : le modèle tourne sur un poste de la collectivité, hors connexion. "
            "L'enregistrement et la transcription restent sur ce poste et sont supprimés après validation "
            "du compte rendu.",
            "hosting": Hosting.LOCAL,
            "human_part": "Le compte rendu, le choix de ce qui est retenu et la relecture par les membres "
            "restent le travail du ou de la technicien·ne et du bureau. La transcription contient des "
            "erreurs (noms propres, sigles) qu'il faut corriger.",
            "cost": "Gratuit (logiciel libre) ; il faut un poste récent, idéalement avec une carte graphique, "
            "et l'appui du service informatique pour l'installation.",
            "vigilance": "Annoncer l'enregistrement en début de séance et recueillir l'accord des personnes ; "
            "ne pas enregistrer les échanges informels. Fixer une durée de conservation courte. Ne jamais "
            "publier une transcription brute.",
        },
        codes=("C-TRA-02", "C-TRA-03", "M1.A7"),
        outcome=PUBLIC,
        author=TECHNICIAN,
        days_ago=50,
    ),
    DemoResource(
        key="synthese-ia",
        kind=ResourceKind.TOOL,
        title="Un assistant d'IA générative pour préparer la synthèse d'un atelier",
        summary="Regrouper par thèmes les post-it retranscrits d'un atelier avec un assistant conversationnel, "
        "puis vérifier chaque regroupement avec le groupe.",
        description="Ce que nous avons appris après six mois d'essais : l'outil fait gagner du temps sur le "
        "tri, jamais sur l'écoute. Il « lisse » les propos minoritaires : la synthèse doit toujours être "
        "relue par les membres.",
        fields={
            "tool_url": "",
            "is_ai": True,
            "use_purpose": "Proposer un premier classement thématique des contributions écrites d'un atelier "
            "(post-it retranscrits, réponses ouvertes d'un questionnaire).",
            "data_flows": "Les textes copiés dans l'assistant partent chez l'éditeur. N'y mettre que des "
            "contributions anonymes, sans nom, adresse ni détail permettant de reconnaître quelqu'un. Vérifier "
            "dans le contrat que les textes ne servent pas à entraîner le modèle.",
            "hosting": Hosting.EU,
            "human_part": "L'écoute, l'animation, le choix des thèmes et les mots de la synthèse restent ceux "
            "du groupe. L'outil propose, le groupe décide ; l'avis est écrit par les membres, jamais par l'IA.",
            "cost": "Abonnement professionnel d'environ 15 à 25 € par mois et par utilisateur·rice ; les "
            "versions gratuites n'offrent pas les garanties sur les données.",
            "vigilance": "Les modèles inventent parfois des idées absentes des contributions : comparer avec "
            "les originaux. Ils effacent les avis minoritaires : les rechercher à la main. Dire aux membres "
            "que l'outil a été utilisé, et comment. Valider l'usage avec le ou la délégué·e à la protection "
            "des données de la collectivité.",
        },
        codes=("C-TRA-02", "C-ANI-05"),
        outcome=MEMBERS,
        author=_tech(9),
        days_ago=35,
    ),
    DemoResource(
        key="questionnaire-libre",
        kind=ResourceKind.TOOL,
        title="Questionnaires en ligne avec LimeSurvey, hébergé par la collectivité",
        summary="Un logiciel libre d'enquêtes, installé sur un serveur de l'intercommunalité : questionnaires "
        "aux membres ou aux habitant·es sans dépendre d'un service étranger.",
        description="Une alternative aux formulaires des grandes plateformes, à demander au service "
        "informatique. Pour un besoin ponctuel, les formulaires libres de type Framaforms dépannent aussi.",
        fields={
            "tool_url": "https://www.limesurvey.org/fr",
            "is_ai": False,
            "use_purpose": "Diffuser un questionnaire (bilan annuel des membres, enquête auprès des habitant·es) "
            "et en exporter les réponses dans un tableur.",
            "data_flows": "Aucune si le logiciel est installé sur un serveur de la collectivité : les réponses y "
            "restent.",
            "hosting": Hosting.LOCAL,
            "human_part": "La conception des questions, l'analyse des réponses et ce qu'on en retient.",
            "cost": "Gratuit (logiciel libre), une demi-journée d'installation par le service informatique.",
            "vigilance": "Ne demander que les données utiles ; préférer l'anonymat. Mentionner la durée de "
            "conservation des réponses dans l'introduction du questionnaire.",
        },
        codes=("C-TRA-03", "C-TRA-04"),
        outcome=PUBLIC,
        author=_tech(10),
        days_ago=20,
    ),
]


# --- Ressources externes ------------------------------------------------------------------------------

EXTERNALS = [
    DemoResource(
        key="loi-notre",
        kind=ResourceKind.EXTERNAL,
        title="Loi NOTRe, article 88 : les conseils de développement dans le code général des collectivités",
        summary="L'article qui crée le cadre actuel des conseils de développement (article L5211-10-1 du CGCT), "
        "modifié depuis par la loi Engagement et proximité de 2019.",
        description="À relire avant une convention ou une question sur les saisines obligatoires : projet de "
        "territoire, documents de prospective et de planification, politiques de développement durable. "
        "Vérifiez sur Légifrance la version en vigueur de l'article L5211-10-1.",
        fields={
            "url": "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000030985460",
            "publisher": "Légifrance",
            "year": 2015,
        },
        codes=("C-INS-01", "C-INS-02"),
        outcome=PUBLIC,
        author=CURATOR,
        licence=Licence.RESERVED,
        days_ago=130,
    ),
    DemoResource(
        key="cncd-guides",
        kind=ResourceKind.EXTERNAL,
        title="Les publications de la Coordination nationale des conseils de développement",
        summary="Guides, repères et retours d'expérience publiés par la CNCD pour les conseils et leurs "
        "technicien·nes.",
        description="Le point d'entrée pour les ressources du réseau national : rencontres, groupes de "
        "travail, formations.",
        fields={"url": "https://conseils-de-developpement.fr/", "publisher": "CNCD", "year": None},
        codes=("M2.A5", "C-INS-08", "C-VAL-07"),
        outcome=PUBLIC,
        author=CURATOR,
        licence=Licence.RESERVED,
        days_ago=125,
    ),
    DemoResource(
        key="participedia",
        kind=ResourceKind.EXTERNAL,
        title="Participedia : méthodes et cas de participation du monde entier",
        summary="Une base collaborative de méthodes et d'expériences de participation, sous licence libre, "
        "pour trouver une méthode et voir comment d'autres l'ont utilisée.",
        description="En anglais pour l'essentiel, avec de nombreux cas français.",
        fields={"url": "https://participedia.net/", "publisher": "Participedia", "year": None},
        codes=("C-ANI-09",),
        outcome=MEMBERS,
        author=_tech(11),
        licence=Licence.RESERVED,
        days_ago=15,
    ),
]


# --- The demo technician's draft ----------------------------------------------------------------------

DRAFTS = [
    DemoResource(
        key="photolangage-brouillon",
        kind=ResourceKind.METHOD,
        title="Photolangage pour accueillir les nouveaux membres",
        summary="Chacun choisit une photo qui dit pourquoi il ou elle a rejoint le conseil.",
        description="Brouillon : à compléter après la soirée d'accueil de mars.",
        fields={
            "purpose": "Faire connaissance et faire parler chacun de ses attentes, dès la première séance.",
            "group_min": 6,
            "group_max": 20,
            "duration_minutes": 40,
            "materials": "- Une cinquantaine de photos variées étalées sur une table",
            "steps": "1. Chacun choisit une photo en silence.\n2. Tour de table : « J'ai choisi cette photo "
            "parce que… »",
        },
        codes=("C-ANI-08", "M1.A5"),
        outcome=DRAFT,
        author=TECHNICIAN,
    ),
]

DEMO_RESOURCES = [*METHODS, *REPORTS, *TEMPLATES, *TOOLS, *EXTERNALS, *DRAFTS]

# key, reader (email or technicien:<n>), useful, feedback of "je l'ai utilisé" (None: not used), comment
INTERACTIONS = [
    ("world-cafe", TECHNICIAN, True, "Très bien pour notre plénière de rentrée, 45 personnes.", ""),
    ("world-cafe", _tech(2), True, "Fait en visio avec des salles de sous-groupes : ça marche.", ""),
    ("world-cafe", _tech(5), True, None, "Combien d'hôtes prévoyez-vous pour 80 personnes ?"),
    (
        "world-cafe",
        KARIM,
        False,
        None,
        "Une par table, choisie au premier tour : c'est un bon rôle pour les nouveaux membres.",
    ),
    ("debat-mouvant", TECHNICIAN, True, "Utilisé sur le plan climat, les membres ont adoré.", ""),
    ("debat-mouvant", _tech(0), True, None, ""),
    (
        "debat-mouvant",
        _tech(3),
        False,
        None,
        "Attention aux personnes qui ne peuvent pas rester debout : prévoir des chaises de chaque côté.",
    ),
    ("porteur-de-parole", _tech(4), True, "Sur le marché du samedi : 70 réponses en deux heures.", ""),
    ("balade-urbaine", TECHNICIAN, True, None, ""),
    ("autosaisine-mobilite", _tech(1), True, None, "Merci ! Pourriez-vous partager le questionnaire ?"),
    ("autosaisine-mobilite", TECHNICIAN, False, None, "Bien sûr, je l'ajoute dans les trames d'ici la fin du mois."),
    ("renouvellement-tirage", TECHNICIAN, True, None, ""),
    ("renouvellement-tirage", _tech(6), True, "Nous nous en sommes inspirés pour notre renouvellement.", ""),
    ("trame-saisine", TECHNICIAN, True, "Reprise telle quelle pour la saisine sur le PCAET.", ""),
    ("trame-saisine", _tech(9), True, None, ""),
    ("trame-avis", _tech(7), True, "Le plan en cinq parties a rassuré le groupe de travail.", ""),
    ("transcription-locale", _tech(10), True, None, "Quelle configuration de poste vous a-t-il fallu ?"),
    ("transcription-locale", _tech(11), False, "Installé avec notre DSI, ça fonctionne bien.", ""),
    (
        "synthese-ia",
        TECHNICIAN,
        False,
        None,
        "Très utile, l'encadré sur les avis minoritaires : c'est exactement ce que nous avons constaté.",
    ),
    ("questionnaire-libre", _tech(8), True, "Bilan annuel des membres fait avec, 80 % de réponses.", ""),
    ("loi-notre", _tech(12), True, None, ""),
]


# --- Seeding ---------------------------------------------------------------------------------------------


def _users() -> dict[str, User]:
    technicians = demo_technician_emails()
    emails = [TECHNICIAN, CURATOR, KARIM, SOPHIE, *technicians]
    found = User.objects.in_bulk(emails, field_name="email")
    users = {email: found[email] for email in (TECHNICIAN, CURATOR, KARIM, SOPHIE) if email in found}
    approved = [
        found[email] for email in technicians if email in found and found[email].status == AccountStatus.APPROVED
    ]
    for index, user in enumerate(approved):
        users[_tech(index)] = user
    return users


def _author(spec: DemoResource, users: dict[str, User], councils: dict) -> User:
    """The resource's author; a field report is told by a technician of its council when the demo has one."""
    author = users.get(spec.author) or users[TECHNICIAN]
    council = councils.get(spec.council)
    if council is None:
        return author
    members = Profile.objects.filter(council=council, user__in=list(users.values()))
    if members.filter(user=author).exists():
        return author
    profile = members.order_by("user_id").select_related("user").first()
    return profile.user if profile is not None else author


def _titles(version: FrameworkVersion) -> dict[str, tuple[str, str]]:
    """Each code of the version: (link kind, title)."""
    titles = {
        code: (LinkKind.MISSION, title)
        for code, title in Mission.objects.filter(version=version).values_list("code", "title")
    }
    titles |= {
        code: (LinkKind.ACTIVITY, title)
        for code, title in Activity.objects.filter(version=version).values_list("code", "title")
    }
    titles |= {
        code: (LinkKind.COMPETENCE, title)
        for code, title in Competence.objects.filter(version=version).values_list("code", "title")
    }
    return titles


def _pdf(title: str, body: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=_pdf_page(title, body)).write_pdf()


def _create(spec: DemoResource, *, users, curator, councils, titles) -> Resource:
    author = _author(spec, users, councils)
    data = {
        "title": spec.title,
        "summary": spec.summary,
        "description": spec.description,
        "licence": spec.licence,
        "audience": Audience.PUBLIC if spec.outcome == PUBLIC else Audience.MEMBERS,
        "other_authors": spec.other_authors,
        **spec.fields,
    }
    links = [services.LinkData(titles[code][0], code, titles[code][1]) for code in spec.codes if code in titles]
    resource = services.resource_create(
        user=author, kind=spec.kind, data=data, links=links, council=councils.get(spec.council)
    )
    if spec.pdf:
        name, body = spec.pdf
        uploaded = SimpleUploadedFile(name, _pdf(spec.title, body), content_type="application/pdf")
        files.file_add(resource_id=resource.pk, user=author, uploaded=uploaded)
    if spec.outcome == DRAFT:
        return resource
    services.resource_submit(resource_id=resource.pk, user=author)
    if spec.outcome == SUBMITTED:
        return resource
    if spec.outcome == CHANGES:
        return services.resource_request_changes(resource_id=resource.pk, actor=curator, reason=spec.reason)
    resource = services.resource_publish(resource_id=resource.pk, actor=curator, make_public=spec.outcome == PUBLIC)
    published_at = timezone.now() - timedelta(days=spec.days_ago)
    Resource.objects.filter(pk=resource.pk).update(published_at=published_at, decided_at=published_at)
    return resource


@transaction.atomic
def seed() -> None:
    """Create the demo resources, their files, marks, uses and comments, unless they exist already."""
    if Resource.objects.filter(title__in=[spec.title for spec in DEMO_RESOURCES]).exists():
        return
    users = _users()
    curator = users.get(CURATOR)
    version = FrameworkVersion.objects.current()
    if curator is None or TECHNICIAN not in users or version is None:
        return
    names = {spec.council for spec in DEMO_RESOURCES if spec.council}
    councils = {council.name: council for council in Council.objects.filter(name__in=names).order_by("-pk")}
    titles = _titles(version)
    created = {
        spec.key: _create(spec, users=users, curator=curator, councils=councils, titles=titles)
        for spec in DEMO_RESOURCES
    }
    for key, reader_key, useful, feedback, comment in INTERACTIONS:
        resource, reader = created[key], users.get(reader_key)
        if reader is None or resource.status != ResourceStatus.PUBLISHED:
            continue
        if useful:
            services.useful_toggle(resource_id=resource.pk, user=reader)
        if feedback is not None:
            services.use_record(resource_id=resource.pk, user=reader, feedback=feedback)
        if comment:
            services.comment_add(resource_id=resource.pk, author=reader, body=comment)
    technician = users[TECHNICIAN]
    services.follow_toggle(user=technician, kind=ResourceKind.METHOD)
    services.follow_toggle(user=technician, code="C-TRA-02")
