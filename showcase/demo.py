"""The showcase app's demo content (devtools seed_demo), idempotent. Each area seeds its own part."""

# The shared list of themes the team keeps (/vitrine/equipe/themes/).
_COUNCILS_THEMES = [
    "Mobilité",
    "Logement",
    "Transition écologique",
    "Budget",
    "Santé",
    "Alimentation",
    "Développement économique",
    "Jeunesse",
    "Culture",
    "Numérique",
    "Aménagement et urbanisme",
    "Eau",
    "Cohésion sociale",
    "Participation citoyenne",
]

# council name (members.demo), territory, members, founded, how members are chosen, presentation, status
_COUNCILS_PAGES = [
    (
        "Conseil de développement de la Métropole Rives-de-Loire",
        "24 communes, 680 000 habitant·es",
        210,
        2000,
        "mixte",
        "Habitant·es tiré·es au sort, acteurs associatifs, économiques et syndicaux : le conseil de développement "
        "éclaire la métropole sur ses grands projets, de la mobilité au plan climat, et organise chaque année un "
        "forum ouvert à toutes et tous.",
        "publiee",
    ),
    (
        "Conseil de développement de Val-d'Armor Agglomération",
        "32 communes, 115 000 habitant·es",
        85,
        2002,
        "volontariat",
        "Ouvert à toute personne qui vit ou travaille dans l'agglomération, le conseil travaille en ateliers "
        "sur le logement des jeunes, le littoral et les mobilités du quotidien.",
        "publiee",
    ),
    (
        "Conseil de développement du Pays des Trois Vallées",
        "3 communautés de communes, 96 communes rurales",
        60,
        2004,
        "designation",
        "Le conseil rassemble élu·es associatifs, agriculteur·rices, artisan·es et habitant·es autour du projet "
        "de territoire du PETR : alimentation locale, services de santé et revitalisation des bourgs.",
        "publiee",
    ),
    (
        "Conseil de développement de Seine-et-Falaises",
        "71 communes, 490 000 habitant·es",
        150,
        2001,
        "mixte",
        "Le conseil donne son avis sur le projet de territoire et les politiques de la communauté urbaine ; il "
        "s'est autosaisi de la reconversion des friches portuaires.",
        "publiee",
    ),
    (
        "Conseil de développement de la Métropole Garonne-Océan",
        "28 communes, 830 000 habitant·es",
        240,
        2001,
        "tirage",
        "Deux tiers de ses membres sont tiré·es au sort sur les listes électorales : le conseil porte la parole "
        "des habitant·es sur l'eau, les chaleurs urbaines et le logement abordable.",
        "publiee",
    ),
    (
        "Conseil de développement du Grand Plateau comtois",
        "58 communes, 190 000 habitant·es",
        70,
        2003,
        "volontariat",
        "Un conseil de bénévoles qui suit le budget participatif de l'agglomération et anime des débats sur la "
        "filière bois et l'emploi des jeunes.",
        "publiee",
    ),
    (
        "Conseil de développement des Monts du Forez",
        "44 communes, 38 000 habitant·es",
        35,
        2015,
        "volontariat",
        "Petit conseil d'une communauté de communes rurale : tourisme doux, accès aux soins et maintien des "
        "commerces de proximité.",
        "publiee",
    ),
    (
        "Conseil de développement du PETR Cœur de Beauce",
        "2 communautés de communes, 62 000 habitant·es",
        45,
        2006,
        "designation",
        "Collèges des acteurs économiques, associatifs et des habitant·es : le conseil accompagne le contrat "
        "local de santé et le plan alimentaire territorial.",
        "publiee",
    ),
    (
        "Conseil de développement de la Métropole Alpes-Lumière",
        "49 communes, 450 000 habitant·es",
        180,
        2002,
        "mixte",
        "Le conseil travaille sur la transition énergétique en montagne, la qualité de l'air et l'inclusion "
        "numérique ; ses avis sont présentés en conseil métropolitain.",
        "publiee",
    ),
    (
        "Conseil de développement de Côte d'Opale Sud",
        "46 communes, 140 000 habitant·es",
        65,
        2008,
        "volontariat",
        "Le conseil suit l'érosion du trait de côte, l'emploi saisonnier et les mobilités entre littoral et "
        "arrière-pays.",
        "publiee",
    ),
    (
        "Conseil de développement de Moselle-Orne",
        "34 communes, 120 000 habitant·es",
        55,
        2010,
        "mixte",
        "Un conseil qui s'est renouvelé en 2024 : il prépare un premier avis sur le projet de territoire et la "
        "reconversion des anciens sites industriels.",
        "soumise",
    ),
    (
        "Conseil de développement de Sainte-Baume-Argens",
        "43 communes, 110 000 habitant·es",
        40,
        2018,
        "volontariat",
        "Page en préparation.",
        "brouillon",
    ),
]


def _seed_councils() -> None:
    """Demo content of the councils area (council pages, technicians appearing, team check)."""
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.text import slugify

    from members.models import Council, User
    from showcase.councils import region_of
    from showcase.models import CouncilPage, ShowcasePreference, Theme

    for position, name in enumerate(_COUNCILS_THEMES, start=1):
        Theme.objects.get_or_create(slug=slugify(name), defaults={"name": name, "position": position * 10})

    curator = User.objects.filter(email="equipe@demo.codev-reseau.fr").first()
    now = timezone.now()
    names = [row[0] for row in _COUNCILS_PAGES]
    councils = {council.name: council for council in Council.objects.validated().filter(name__in=names)}
    for index, (name, territory, members, founded, method, presentation, status) in enumerate(_COUNCILS_PAGES):
        council = councils.get(name)
        if council is None or CouncilPage.objects.filter(council=council).exists():
            continue
        published = status == "publiee"
        when = now - timedelta(days=300 - index * 15)
        CouncilPage.objects.create(
            council=council,
            slug=slugify(council.name)[:120],
            presentation=presentation,
            territory=territory,
            member_count=members,
            founded_year=founded,
            selection_method=method,
            website=council.website or "",
            region=region_of(council),
            status=status,
            submitted_at=when if status != "brouillon" else None,
            published_at=when + timedelta(days=3) if published else None,
            checked_at=when + timedelta(days=3) if published else None,
            checked_by=curator if published else None,
        )
        if published:
            # A few technicians chose to appear: the first of each council (by account), and the demo technician.
            first = User.objects.approved().filter(profile__council=council).order_by("pk").first()
            if first is not None and index % 3 != 2:
                ShowcasePreference.objects.get_or_create(user=first, defaults={"appears_on_council_page": True})
    technician = User.objects.filter(email="technicienne@demo.codev-reseau.fr").first()
    if technician is not None:
        ShowcasePreference.objects.get_or_create(user=technician, defaults={"appears_on_council_page": True})


# The works area: (council index in _COUNCILS_PAGES, kind, title, summary, date, themes, follow-up, référentiel codes,
# with a PDF). Follow-up: (answer, by, answered on, uptake, note) or None (not yet filled in).
_WORKS = [
    (0, "avis", "Avis sur le plan de mobilité métropolitain 2025-2035",
     "Le conseil soutient le réseau express vélo mais demande des lignes de car express vers les communes de "
     "seconde couronne et une tarification solidaire pour les jeunes et les personnes à faibles revenus.",
     "2025-03-18", ("Mobilité", "Transition écologique"),
     ("repondu", "Conseil métropolitain", "2025-06-26", "partiellement",
      "La tarification solidaire est retenue dès 2026 ; les lignes de car express sont renvoyées à une étude."),
     ("M1.A2",), True),
    (0, "autosaisine", "Habiter la métropole quand on a moins de 30 ans",
     "Après six mois d'ateliers avec des étudiant·es, apprenti·es et jeunes actifs, le conseil propose une "
     "garantie locative métropolitaine et des colocations intergénérationnelles.",
     "2024-11-05", ("Logement", "Jeunesse"),
     ("repondu", "Vice-présidente à l'habitat", "2025-02-10", "totalement",
      "La garantie locative est inscrite au programme local de l'habitat."), ("M1.A5",), False),
    (0, "contribution", "Contribution au plan climat-air-énergie territorial",
     "Vingt propositions pour la rénovation énergétique des copropriétés, la végétalisation des cours d'école et "
     "la sobriété des bâtiments publics.", "2024-05-22", ("Transition écologique",),
     ("sans-reponse", "", None, "inconnu", "Aucune réponse écrite malgré deux relances."), (), False),
    (1, "avis", "Avis sur le programme local de l'habitat 2025-2030",
     "Le conseil demande que 30 % des logements neufs soient abordables et alerte sur la part des résidences "
     "secondaires dans les communes littorales.", "2025-01-28", ("Logement", "Aménagement et urbanisme"),
     ("repondu", "Bureau communautaire", "2025-04-03", "partiellement",
      "L'objectif de 30 % est retenu dans les communes de plus de 5 000 habitant·es seulement."), ("M1.A2",), True),
    (1, "rapport", "Mobilités du quotidien dans les communes rurales de l'agglomération",
     "Enquête auprès de 600 habitant·es : le conseil propose du transport à la demande le samedi et des "
     "aires de covoiturage près des bourgs.", "2024-09-12", ("Mobilité",),
     ("en-attente", "", None, "inconnu", ""), (), False),
    (1, "saisine", "Saisine sur l'avenir du littoral face à l'érosion",
     "Saisi par le président de l'agglomération, le conseil a réuni habitant·es, pêcheurs et associations : il "
     "recommande une stratégie de relocalisation progressive, discutée commune par commune.",
     "2025-05-15", ("Transition écologique", "Aménagement et urbanisme"), None, ("M2.A3",), False),
    (2, "avis", "Avis sur le projet alimentaire territorial",
     "Le conseil salue l'objectif de 40 % de produits locaux en restauration collective et propose une "
     "légumerie partagée entre les trois communautés de communes.", "2024-10-08", ("Alimentation",),
     ("repondu", "Comité syndical du PETR", "2024-12-12", "totalement",
      "La légumerie est financée dans le contrat de relance et de transition écologique."), ("M1.A1",), True),
    (2, "contribution", "Contribution au contrat local de santé",
     "Accès aux soins dans les bourgs : maisons de santé, cabinets secondaires, transport solidaire vers les "
     "spécialistes.", "2025-02-20", ("Santé", "Cohésion sociale"),
     ("repondu", "Agence régionale de santé et PETR", "2025-05-06", "partiellement",
      "Deux cabinets secondaires ouvrent en 2025 ; le transport solidaire reste à organiser."), (), False),
    (2, "autosaisine", "Revitaliser les centres-bourgs : paroles d'habitant·es",
     "Balades urbaines dans douze bourgs et propositions pour les commerces vacants, la place de la voiture et "
     "les logements au-dessus des boutiques.", "2023-06-30", ("Aménagement et urbanisme", "Développement économique"),
     ("sans-reponse", "", None, "inconnu", ""), (), False),
    (3, "avis", "Avis sur le projet de territoire de la communauté urbaine",
     "Le conseil approuve les trois orientations mais demande des indicateurs de suivi publics et un bilan à "
     "mi-parcours présenté aux habitant·es.", "2024-03-14", ("Participation citoyenne",),
     ("repondu", "Conseil communautaire", "2024-06-20", "totalement",
      "Les indicateurs sont publiés chaque année sur le site de la communauté urbaine."), ("M2.A1",), False),
    (3, "autosaisine", "Reconvertir les friches portuaires",
     "Visites de sites, auditions d'aménageurs : le conseil propose un urbanisme transitoire ouvert aux "
     "associations avant les grands projets.", "2025-04-09", ("Aménagement et urbanisme", "Développement économique"),
     ("en-attente", "", None, "inconnu", "Présentation prévue en commission aménagement à l'automne."), (), False),
    (3, "contribution", "Contribution au schéma de cohérence territoriale",
     "Sobriété foncière, trame verte et bleue, commerces de périphérie : les propositions du conseil pour le "
     "SCoT en révision.", "2023-11-21", ("Aménagement et urbanisme", "Transition écologique"),
     ("repondu", "Syndicat mixte du SCoT", "2024-02-01", "pas",
      "Le syndicat a pris acte de la contribution sans en reprendre les propositions."), (), False),
    (4, "avis", "Avis sur la gestion de l'eau et les canicules urbaines",
     "Îlots de fraîcheur, récupération des eaux de pluie, tarification progressive : un avis construit avec "
     "80 habitant·es tiré·es au sort.", "2025-06-03", ("Eau", "Transition écologique"),
     ("repondu", "Vice-président au cycle de l'eau", "2025-09-15", "partiellement",
      "La tarification progressive est mise à l'étude ; les îlots de fraîcheur sont programmés."), ("M1.A2",), True),
    (4, "rapport", "Se loger à un prix abordable dans la métropole",
     "Le rapport compare cinq métropoles et propose un office foncier solidaire élargi et un encadrement des "
     "loyers évalué par les habitant·es.", "2024-12-02", ("Logement",),
     ("en-attente", "", None, "inconnu", ""), (), False),
    (4, "saisine", "Saisine sur le budget participatif métropolitain",
     "À la demande de la présidente, le conseil évalue la première édition du budget participatif et propose "
     "des règles pour la deuxième.", "2024-04-17", ("Budget", "Participation citoyenne"),
     ("repondu", "Présidente de la métropole", "2024-07-01", "totalement",
      "Toutes les règles proposées sont reprises dans le règlement de la deuxième édition."), ("M2.A2",), False),
    (5, "avis", "Avis sur le budget primitif 2025",
     "Le conseil demande une présentation lisible du budget aux habitant·es et une part réservée à la "
     "transition énergétique des bâtiments communautaires.", "2025-02-11", ("Budget",),
     ("repondu", "Conseil communautaire", "2025-03-27", "partiellement",
      "Un budget en pages simples est publié ; la part réservée n'est pas retenue."), (), False),
    (5, "contribution", "Filière bois et emplois des jeunes",
     "Rencontres avec des scieries, des lycées professionnels et des jeunes : propositions pour l'apprentissage "
     "et le logement des apprenti·es.", "2024-06-25", ("Développement économique", "Jeunesse"),
     None, (), False),
    (5, "rapport", "Évaluation du budget participatif de l'agglomération",
     "Qui a voté, quels projets, quels quartiers oubliés : l'évaluation citoyenne des trois premières éditions.",
     "2023-10-10", ("Budget", "Participation citoyenne"),
     ("repondu", "Vice-présidente à la démocratie locale", "2024-01-15", "totalement",
      "Le vote en ligne est complété par des urnes dans les mairies."), ("M3.A4",), False),
    (6, "avis", "Avis sur la stratégie touristique de la communauté de communes",
     "Pour un tourisme doux : navettes vers les sentiers, hébergements chez l'habitant, saisonnalité élargie.",
     "2024-08-29", ("Développement économique", "Mobilité"),
     ("sans-reponse", "", None, "inconnu", ""), (), False),
    (6, "autosaisine", "Garder un médecin au village",
     "Témoignages et propositions : logements pour les internes, cabinet partagé, télé-consultation accompagnée "
     "en mairie.", "2025-03-04", ("Santé",),
     ("repondu", "Président de la communauté de communes", "2025-05-22", "partiellement",
      "Un logement pour les internes est réservé dès la rentrée."), (), False),
    (6, "contribution", "Contribution au plan de maintien des commerces de proximité",
     "Recensement des commerces fermés et propositions de multiservices ruraux portés par des coopératives.",
     "2024-02-13", ("Développement économique", "Cohésion sociale"), ("en-attente", "", None, "inconnu", ""),
     (), False),
    (7, "avis", "Avis sur le contrat local de santé du PETR",
     "Le conseil demande une attention aux personnes âgées isolées et à la santé mentale des jeunes agriculteurs.",
     "2024-09-26", ("Santé",),
     ("repondu", "Comité de pilotage du contrat local de santé", "2024-11-28", "totalement",
      "Deux fiches actions ajoutées au contrat."), ("M1.A1",), False),
    (7, "contribution", "Contribution au plan alimentaire territorial",
     "Circuits courts, cantines et précarité alimentaire : les propositions de trois collèges du conseil.",
     "2025-01-16", ("Alimentation", "Cohésion sociale"), ("en-attente", "", None, "inconnu", ""), (), False),
    (8, "avis", "Avis sur le schéma directeur des énergies",
     "Chaleur renouvelable en montagne, réseaux de chaleur et acceptabilité des projets photovoltaïques.",
     "2024-07-09", ("Transition écologique",),
     ("repondu", "Conseil métropolitain", "2024-10-17", "partiellement",
      "Les réseaux de chaleur sont accélérés ; la concertation sur le photovoltaïque reste à organiser."),
     ("M1.A2",), False),
    (8, "rapport", "Inclusion numérique : accompagner sans exclure",
     "Un rapport sur les démarches en ligne, les conseiller·es numériques et le maintien d'accueils physiques.",
     "2025-05-28", ("Numérique", "Cohésion sociale"), None, (), False),
    (8, "saisine", "Saisine sur la qualité de l'air dans les vallées",
     "Saisi par la métropole, le conseil propose des mesures pour le chauffage au bois et les poids lourds en "
     "transit.", "2023-12-05", ("Transition écologique", "Santé"),
     ("repondu", "Vice-président à la qualité de l'air", "2024-03-12", "pas",
      "La métropole a préféré maintenir son plan existant."), (), False),
    (9, "avis", "Avis sur la stratégie de gestion du trait de côte",
     "Le conseil demande que les habitant·es concerné·es soient associé·es à chaque étape de la relocalisation.",
     "2025-04-24", ("Transition écologique", "Aménagement et urbanisme"),
     ("en-attente", "", None, "inconnu", "Réponse attendue après le conseil communautaire de juin."), ("M2.A3",),
     False),
    (9, "autosaisine", "Travailler une saison sur la côte",
     "Logement des saisonnier·es, transports en soirée, droits : l'enquête du conseil auprès de 250 saisonnier·es.",
     "2024-10-30", ("Logement", "Développement économique"),
     ("repondu", "Vice-présidente à l'emploi", "2025-01-09", "partiellement",
      "Une résidence pour saisonnier·es est programmée ; les transports du soir restent à l'étude."), (), False),
    (9, "contribution", "Mobilités entre littoral et arrière-pays",
     "Propositions de lignes de car cadencées, de vélos électriques en location longue durée et de covoiturage "
     "solidaire.", "2023-09-19", ("Mobilité",), ("sans-reponse", "", None, "inconnu", ""), (), False),
    (0, "rapport", "Dix ans de forums ouverts du conseil de développement",
     "Ce que les forums annuels ont apporté aux politiques métropolitaines : bilan et perspectives.",
     "2023-04-12", ("Participation citoyenne",), None, ("M3.A4",), False),
]  # fmt: skip


def _works_pdf(title: str, council: str) -> bytes:
    """A small valid one-page PDF naming the work (ASCII text: the demo needs no font)."""
    import unicodedata

    def ascii_text(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return text.replace("\\", "").replace("(", "[").replace(")", "]")[:90]

    stream = (
        f"BT /F1 16 Tf 50 780 Td ({ascii_text(title)}) Tj ET\n"
        f"BT /F1 11 Tf 50 750 Td ({ascii_text(council)}) Tj ET\n"
        "BT /F1 11 Tf 50 720 Td (Document de demonstration de la vitrine des conseils.) Tj ET\n"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _seed_works() -> None:
    """Demo content of the works area (works library, follow-ups, documents, search, Atom feed)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from members.models import User
    from showcase import documents, works
    from showcase.models import CouncilPage, Theme, Work
    from toolbox.forms import framework_choices

    curator = User.objects.filter(email="equipe@demo.codev-reseau.fr").first()
    _groups, by_code = framework_choices()
    names = [row[0] for row in _COUNCILS_PAGES]
    pages = {
        page.council.name: page
        for page in CouncilPage.objects.select_related("council").filter(council__name__in=names)
    }
    themes = {theme.name: theme for theme in Theme.objects.all()}
    for index, kind, title, summary, issued, theme_names, followup, codes, with_pdf in _WORKS:
        page = pages.get(names[index])
        if page is None or Work.objects.filter(page=page, title=title).exists():
            continue
        author = User.objects.approved().filter(profile__council=page.council).order_by("pk").first() or curator
        if author is None or not works.can_edit_page(author, page):
            author = curator
        if author is None:
            continue
        work = works.work_create(
            user=author,
            page=page,
            data={
                "kind": kind,
                "title": title,
                "summary": summary,
                "issued_on": datetime.date.fromisoformat(issued),
                "licence": "cc-by-4.0" if index % 3 == 1 else "licence-ouverte-2.0",
                "external_url": "",
            },
            themes=[themes[name] for name in theme_names if name in themes],
            links=[works.LinkData(by_code[code].kind, code, by_code[code].title) for code in codes if code in by_code],
        )
        if followup is not None:
            answer, by, answered_on, uptake, note = followup
            works.followup_update(
                user=author,
                work_id=work.pk,
                data={
                    "followup_answer": answer,
                    "followup_by": by,
                    "followup_on": datetime.date.fromisoformat(answered_on) if answered_on else None,
                    "followup_uptake": uptake,
                    "followup_note": note,
                },
                lock_version=None,
            )
        if with_pdf:
            content = _works_pdf(title, page.council.name)
            upload = SimpleUploadedFile(f"{title[:60]}.pdf", content, content_type="application/pdf")
            documents.document_attach(user=author, work_id=work.pk, uploaded=upload)
        works.work_publish(user=author, work_id=work.pk)
        # Published when it was issued (the feed and the "newest" lists read published_at).
        Work.objects.filter(pk=work.pk).update(
            published_at=datetime.datetime.combine(
                datetime.date.fromisoformat(issued), datetime.time(10), tzinfo=datetime.UTC
            )
        )


def _seed_figures() -> None:
    """Demo content of the figures area (map, network figures, exports)."""


def seed() -> None:
    _seed_councils()
    _seed_works()
    _seed_figures()
