"""Files as other tools write them: a Moodle export in French (and through French Excel), CASE packages from
other publishers (no item types or theirs, no rubrics, five levels, long statements, every association type).

Each goes through the import page as a curator would — upload, read the levels found, change a level's role,
confirm — and the draft created holds everything the model can hold (issue 14, items 2, 3, 6 and 7).
"""

import csv
import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competences.models import FrameworkVersion
from referentiel import services
from referentiel.formats import read_file
from referentiel.formats.moodle_read import html_to_text
from referentiel.formats.tree import remap, tree_from_json, tree_to_json
from referentiel.framework import AlignmentData, LevelData, framework_snapshot
from referentiel.importing import SCALE_PUBLISHED, SCALE_TYPED, ImportChoices, preview
from tests.html import main_text, select, select_one, text_of
from tests.referentiel.factories import build_version

URL = reverse("referentiel:import")

# --- Moodle: an export of Moodle's admin/tool/lpimportcsv, on a French site ----------------------------------

MOODLE_FR_HEADER = [
    "Numéro d'identification du parent",
    "Numéro d'identification",
    "Nom abrégé",
    "Description",
    "Format de description",
    "Valeurs du barème",
    "Configuration du barème",
    "Type de règle (facultatif)",
    "Résultat de la règle (facultatif)",
    "Configuration de la règle (facultatif)",
    "Numéros d'identification des compétences liées",
    "ID exporté (facultatif)",
    "Est un référentiel",
    "Taxonomie",
]
SCALE_CONFIGURATION = json.dumps(
    [
        {"scaleid": "12"},
        {"id": 1, "scaledefault": 1, "proficient": 0},
        {"id": 2, "scaledefault": 0, "proficient": 0},
        {"id": 3, "scaledefault": 0, "proficient": 1},
        {"id": 4, "scaledefault": 0, "proficient": 1},
    ]
)


def moodle_row(parent, idnumber, name, description="", *, related="", exportid="", html=True):
    return [parent, idnumber, name, description, "1" if html else "2", "", "", "", "", "", related, exportid, "", ""]


def moodle_rows():
    """A framework of four levels (domain, sub-domain, competency, indicator) as Moodle exports it."""
    return [
        MOODLE_FR_HEADER,
        [
            "",
            "REF-ANIM",
            "Référentiel de l'animation",
            "<p>Référentiel <strong>régional</strong> &amp; partagé.</p>",
            "1",
            "Non acquis,En cours,Acquis,Expert",
            SCALE_CONFIGURATION,
            "",
            "",
            "",
            "",
            "",
            "1",
            "domain,domain,competency,indicator",
        ],
        moodle_row("", "D1", "Animer la participation", "<p>Premier domaine</p>", exportid="101"),
        moodle_row("D1", "D1.1", "Préparer", exportid="102"),
        moodle_row(
            "D1.1",
            "C1.1.1",
            "Concevoir un dispositif",
            "<p>Choisir &amp; adapter&nbsp;:</p>\n<ul>\n  <li>le public</li>\n  <li>le <em>format</em></li>\n</ul>",
            related="C2.1.1",
            exportid="103",
        ),
        moodle_row("C1.1.1", "I1.1.1.a", "Identifie les publics", "<p>Au moins trois</p>", exportid="104"),
        moodle_row("C1.1.1", "I1.1.1.b", "Choisit un format", exportid="105"),
        # Moodle accepts any ID number: this one is not a valid code here.
        moodle_row("D1.1", "Compétence écoute", "Écouter les habitants", "<p>Écoute active</p>", exportid="106"),
        moodle_row("D1", "D1.2", "Restituer", exportid="107"),
        moodle_row("D1.2", "C1.2.1", "Rédiger une synthèse", "Texte brut", related="C1.1.1", html=False),
        moodle_row("", "D2", "Coopérer", exportid="109"),
        moodle_row("D2", "D2.1", "Travailler en réseau", exportid="110"),
        moodle_row(
            "D2.1",
            "C2.1.1",
            "Mobiliser des partenaires",
            '<script>alert("x")</script><p onclick="x()">Réseau <a href="javascript:x()">local</a></p>',
            related="C1.1.1",
            exportid="111",
        ),
        moodle_row("C2.1.1", "I2.1.1.a", "Cite ses partenaires", "<p>Nomme<br>les structures</p>", exportid="112"),
    ]


def moodle_csv(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


MOODLE_ROLES = {3: "competence", 4: "description"}


def check_moodle_framework(data):
    """What the Moodle framework above gives once level 3 holds the competences."""
    assert data.summary == "Référentiel régional & partagé."
    assert [(s.value, s.label, s.proficient) for s in data.scale] == [
        (1, "Non acquis", False),
        (2, "En cours", False),
        (3, "Acquis", True),
        (4, "Expert", True),
    ]
    assert [(d.code, d.parent, d.title) for d in data.domains] == [
        ("D1", "", "Animer la participation"),
        ("D1.1", "D1", "Préparer"),
        ("D1.2", "D1", "Restituer"),
        ("D2", "", "Coopérer"),
        ("D2.1", "D2", "Travailler en réseau"),
    ]
    competences = {c.code: c for c in data.competences}
    assert list(competences) == ["C1.1.1", "Competence-ecoute", "C1.2.1", "C2.1.1"]
    assert competences["C1.1.1"].domain == "D1.1"
    # HTML as text, list items as lines, then the indicators folded in as lines.
    assert competences["C1.1.1"].description == (
        "Choisir & adapter :\n- le public\n- le format\n- Identifie les publics : Au moins trois\n- Choisit un format"
    )
    assert competences["C2.1.1"].description == "Réseau local\n- Cite ses partenaires : Nomme les structures"
    assert competences["C1.2.1"].description == "Texte brut"
    assert competences["Competence-ecoute"].title == "Écouter les habitants"
    # Related competencies, both ways.
    assert competences["C1.1.1"].related == ["C1.2.1", "C2.1.1"]
    assert competences["C1.2.1"].related == ["C1.1.1"]
    assert competences["C2.1.1"].related == ["C1.1.1"]


def test_moodle_html_descriptions_become_safe_plain_text():
    text = html_to_text(
        "<p>Un &amp; deux</p><p>Trois<br/>quatre</p><ol><li>cinq</li><li><b>six</b></li></ol><script>x()</script>"
        "<style>p{}</style><div>sept &lt;p&gt;</div>"
    )
    assert text == "Un & deux\nTrois\nquatre\n- cinq\n- six\nsept <p>"
    assert "<" not in html_to_text("<p>a</p><img src=x onerror=alert(1)>")


def test_moodle_french_export_read_with_the_levels_it_has():
    result = read_file(raw=moodle_csv(moodle_rows()), file_format="moodle")
    assert result.problems == []
    assert [(level.depth, level.count, level.types, level.default_role) for level in result.levels] == [
        (1, 2, ["domain"], "domaine"),
        (2, 3, ["domain"], "domaine"),
        (3, 4, ["competency"], "competence"),
        (4, 3, ["indicator"], "auto"),
    ]
    assert result.levels[0].samples == ["Animer la participation", "Coopérer"]
    # By default the levels follow Moodle's taxonomy: the indicators under a competency go into its description.
    assert len(result.data.competences) == 4
    check_moodle_framework(result.data)
    assert "1 code généré (absent, non valide ou en double dans le fichier) : « Compétence écoute » → " in (
        " ".join(result.notes)
    )
    mapped = remap(result.tree, MOODLE_ROLES)
    assert mapped.problems == []
    check_moodle_framework(mapped.data)
    assert "3 éléments sont repris comme lignes de la description de leur parent." in mapped.notes


def test_moodle_through_french_excel_semicolons_and_windows_1252():
    raw = moodle_csv(moodle_rows(), delimiter=";", encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    result = read_file(raw=raw, file_format="moodle")
    assert result.problems == []
    check_moodle_framework(remap(result.tree, MOODLE_ROLES).data)


def test_moodle_older_headers_are_read_by_position_and_a_wrong_width_is_refused():
    rows = moodle_rows()
    rows[0] = ["Parent id number", "ID number", "Shortname", *MOODLE_FR_HEADER[3:]]
    assert read_file(raw=moodle_csv(rows), file_format="moodle").problems == []
    problems = [str(p) for p in read_file(raw=moodle_csv([row[:6] for row in rows]), file_format="moodle").problems]
    assert problems == [
        "Ligne 1 : ce n'est pas un CSV de référentiel Moodle : 14 colonnes attendues (Parent ID number, ID number, "
        "Short name, Description, Description format, Scale values, Scale configuration, Rule type (optional), "
        "Rule outcome (optional), Rule config (optional), Cross-referenced competency ID numbers, Exported ID "
        "(optional), Is framework, Taxonomy), le fichier en a 6."
    ]


def test_moodle_error_in_a_multiline_record_is_reported_at_its_first_line():
    rows = moodle_rows()[:3]
    rows[2][3] = "Première ligne\nDeuxième ligne\nTroisième ligne"  # line 3 to 5
    rows.append(moodle_row("D9", "C9", "Orpheline", "Une\ndescription", html=False))  # lines 6 and 7
    problems = [str(p) for p in read_file(raw=moodle_csv(rows), file_format="moodle").problems]
    assert problems == [
        "Ligne 6, champ « Numéro d'identification du parent » : le parent « D9 » n'existe pas.",
    ]


@pytest.mark.django_db
def test_moodle_multiline_error_shown_on_the_page_at_its_first_line(curator_client):
    rows = moodle_rows()[:3]
    rows[2][3] = "<p>Un</p>\n<p>Deux</p>"
    rows.append(moodle_row("D9", "C9", "Orpheline", "Une\ndescription", html=False))
    response = post_file(curator_client, moodle_csv(rows), "moodle")
    assert text_of(select_one(response, "#import-problems li")) == (
        "Ligne 5, champ « Numéro d'identification du parent » : le parent « D9 » n'existe pas."
    )
    assert "Créer le brouillon" not in main_text(response)


def test_moodle_file_with_two_frameworks_takes_the_first_and_says_so():
    rows = moodle_rows()
    second = list(rows[1])
    second[1], second[2] = "AUTRE", "Autre référentiel"
    rows += [second, moodle_row("", "X1", "Autre domaine"), moodle_row("X1", "X2", "Autre compétence")]
    result = read_file(raw=moodle_csv(rows), file_format="moodle")
    assert result.problems == []
    assert (
        "Le fichier contient 2 référentiels : seul le premier, « Référentiel de l'animation », est importé "
        "(2 lignes des suivants sont laissées de côté)." in result.notes
    )
    assert "X2" not in {c.code for c in result.data.competences}


def test_moodle_depth_of_six_levels():
    rows = [MOODLE_FR_HEADER, moodle_rows()[1]]
    parent = ""
    for depth in range(1, 7):
        rows.append(moodle_row(parent, f"N{depth}", f"Niveau {depth}"))
        parent = f"N{depth}"
    result = read_file(raw=moodle_csv(rows), file_format="moodle")
    assert result.problems == []
    assert [level.depth for level in result.levels] == [1, 2, 3, 4, 5, 6]
    assert [(d.code, d.parent) for d in result.data.domains] == [
        ("N1", ""),
        ("N2", "N1"),
        ("N3", "N2"),
        ("N4", "N3"),
        ("N5", "N4"),
    ]
    assert [(c.code, c.domain) for c in result.data.competences] == [("N6", "N5")]


def post_file(client, raw: bytes, file_format: str, label: str = "v2.0"):
    upload = SimpleUploadedFile("referentiel", raw)
    return client.post(URL, {"file": upload, "file_format": file_format, "label": label})


def level_rows(response) -> list[str]:
    return [text_of(row) for row in select(response, "#import-levels tbody tr")]


def selected_role(response, depth: int) -> str:
    return select_one(response, f"select[name=niveau_{depth}] option[selected]").get("value")


@pytest.mark.django_db
@pytest.mark.parametrize(("delimiter", "encoding"), [(",", "utf-8"), (";", "cp1252")], ids=["moodle", "excel-fr"])
def test_moodle_import_page_maps_the_levels_then_creates_the_draft(curator_client, delimiter, encoding):
    raw = moodle_csv(moodle_rows(), delimiter=delimiter, encoding=encoding)
    response = post_file(curator_client, raw, "moodle")
    assert response.status_code == 200
    rows = level_rows(response)
    assert len(rows) == 4
    assert rows[2].startswith("Niveau 3 4 competency Concevoir un dispositif ; Écouter les habitants")
    assert selected_role(response, 3) == "competence"  # Moodle's taxonomy names level 3 "competency"
    assert select_one(response, "label[for=id_niveau_3]").text == "Niveau 3"
    assert "4 compétences" in main_text(response)
    assert "1 code généré" in text_of(select_one(response, "#import-notes"))

    response = curator_client.post(URL, {"apply": "1", "niveau_3": "competence", "niveau_4": "description"})
    assert response.status_code == 200
    shown = main_text(response)
    assert "4 compétences" in shown and "5 domaines" in shown
    assert selected_role(response, 3) == "competence"  # the choice is kept on the page
    assert not FrameworkVersion.objects.exists()

    response = curator_client.post(URL, {"confirm": "1", "niveau_3": "competence", "niveau_4": "description"})
    assert response.status_code == 302
    draft = FrameworkVersion.objects.get(label="v2.0")
    stored = framework_snapshot(draft)
    check_moodle_framework(stored)
    expected = remap(read_file(raw=raw, file_format="moodle").tree, MOODLE_ROLES).data
    assert stored.comparable() == expected.comparable()


@pytest.mark.django_db
def test_a_role_that_makes_no_referentiel_is_explained_and_nothing_chosen_is_lost(curator_client):
    post_file(curator_client, moodle_csv(moodle_rows()), "moodle")
    response = curator_client.post(URL, {"apply": "1", "niveau_2": "competence", "niveau_3": "domaine"})
    problems = text_of(select_one(response, "#import-problems"))
    assert "niveau 3 : il est sous le niveau 2, rangé en compétences" in problems
    assert "Créer le brouillon" not in main_text(response)
    assert (selected_role(response, 2), selected_role(response, 3)) == ("competence", "domaine")
    response = curator_client.post(URL, {"confirm": "1", "niveau_2": "competence", "niveau_3": "domaine"})
    assert response.status_code == 200
    assert not FrameworkVersion.objects.exists()
    response = curator_client.post(URL, {"apply": "1", "niveau_1": "description"})
    assert "niveau 1 : il ne peut pas être replié en description" in main_text(response)


# --- CASE: packages of other publishers -------------------------------------------------------------------

DOCUMENT_ID = "7d1f2d9e-0000-4000-8000-000000000001"
STAMP = "2026-01-15T10:00:00+00:00"
ESCO_URI = "http://data.europa.eu/esco/skill/0c4cf6c2-3bd3-4c7e-9b1b-4a6a8c5d4e10"
ROME_URI = "https://data.francetravail.fr/rome/competence/124578"
LONG_STATEMENT = (
    "Concevoir, organiser et animer des démarches de participation citoyenne adaptées aux publics du territoire, "
    "en mobilisant des méthodes variées (ateliers, marches exploratoires, débats mouvants, jurys citoyens), "
    "en veillant à l'inclusion des personnes les plus éloignées de la décision publique, en rendant compte des "
    "contributions de manière fidèle et transparente, et en articulant ces démarches avec les calendriers des "
    "assemblées délibérantes, des services techniques et des partenaires associatifs du conseil de "
    "développement, dans le respect de son indépendance."
)
assert len(LONG_STATEMENT) > 500


def ident(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://exemple.org/cfitem/{name}"))


def node(name: str, title: str = "") -> dict:
    return {"identifier": ident(name), "uri": f"https://exemple.org/cfitem/{name}", "title": title or name}


def external(uri: str, title: str) -> dict:
    return {"identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, uri)), "uri": uri, "title": title}


def case_package(items: list[dict], links: list[tuple], *, rubrics: list | None = None) -> bytes:
    """A CFPackage: `items` (name, statement, extra fields) and associations (type, origin, destination[, seq])."""
    document = {
        "identifier": DOCUMENT_ID,
        "uri": "https://exemple.org/cfdoc/animation",
        "creator": "Région exemple",
        "title": "Référentiel régional de l'animation",
        "lastChangeDateTime": STAMP,
        "description": "Publié par la région.",
    }
    cf_items = [
        {
            "identifier": ident(name),
            "uri": f"https://exemple.org/cfitem/{name}",
            "fullStatement": statement,
            "lastChangeDateTime": STAMP,
            **extra,
        }
        for name, statement, extra in items
    ]
    document_node = {"identifier": DOCUMENT_ID, "uri": document["uri"], "title": document["title"]}
    associations = []
    for number, (kind, origin, destination, *sequence) in enumerate(links):
        association = {
            "identifier": str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://exemple.org/cfassoc/{number}")),
            "uri": f"https://exemple.org/cfassoc/{number}",
            "associationType": kind,
            "originNodeURI": origin if isinstance(origin, dict) else node(origin),
            "destinationNodeURI": (
                document_node
                if destination is None
                else destination
                if isinstance(destination, dict)
                else node(destination)
            ),
            "lastChangeDateTime": STAMP,
        }
        if sequence:
            association["sequenceNumber"] = sequence[0]
        associations.append(association)
    package = {"CFDocument": document, "CFItems": cf_items, "CFAssociations": associations}
    if rubrics is not None:
        package["CFRubrics"] = rubrics
    return json.dumps(package, ensure_ascii=False).encode()


def five_levels_package() -> bytes:
    """No CFItemType, no rubric, five levels: pôle → domaine → sous-domaine → compétence → indicateur."""
    items = [
        ("P1", "Pôle participation", {"humanCodingScheme": "P1"}),
        ("P1.D1", "Animer", {"humanCodingScheme": "P1.D1"}),
        ("P1.D1.S1", "Concevoir", {"humanCodingScheme": "P1.D1.S1"}),
        (
            "P1.D1.S1.C1",
            LONG_STATEMENT,
            {"humanCodingScheme": "P1.D1.S1.C1", "abbreviatedStatement": "Animer la participation citoyenne"},
        ),
        ("P1.D1.S1.C1.I1", "Prépare un déroulé", {"humanCodingScheme": "P1.D1.S1.C1.I1", "notes": "Écrit"}),
        ("P1.D1.S1.C1.I2", "Adapte les méthodes", {}),
        ("P1.D1.S1.C2", LONG_STATEMENT.replace("Concevoir", "Évaluer"), {"humanCodingScheme": "1.1.1 b"}),
        ("P1.D1.S1.C2.I1", "Mesure les effets", {"humanCodingScheme": "P1.D1.S1.C2.I1"}),
        ("P1.D1.S1.C3", "Coopérer avec les élus", {"humanCodingScheme": "P1.D1.S1.C3", "notes": "Régulièrement"}),
        ("P1.D1.S1.C3.I1", "Rencontre les élus", {}),
    ]
    links = [
        ("isChildOf", "P1", None, 1),
        ("isChildOf", "P1.D1", "P1", 1),
        ("isChildOf", "P1.D1.S1", "P1.D1", 1),
        ("isChildOf", "P1.D1.S1.C1", "P1.D1.S1", 1),
        ("isChildOf", "P1.D1.S1.C1.I1", "P1.D1.S1.C1", 1),
        ("isChildOf", "P1.D1.S1.C1.I2", "P1.D1.S1.C1", 2),
        ("isChildOf", "P1.D1.S1.C2", "P1.D1.S1", 2),
        ("isChildOf", "P1.D1.S1.C2.I1", "P1.D1.S1.C2", 1),
        ("isChildOf", "P1.D1.S1.C3", "P1.D1.S1", 3),
        ("isChildOf", "P1.D1.S1.C3.I1", "P1.D1.S1.C3", 1),
        ("isRelatedTo", "P1.D1.S1.C1", external(ESCO_URI, "animer des ateliers")),
        ("exactMatchOf", "P1.D1.S1.C1", external(ROME_URI, "Animer une réunion")),
        ("isRelatedTo", "P1.D1.S1.C1", "P1.D1.S1.C3"),
        ("precedes", "P1.D1.S1.C1", "P1.D1.S1.C2"),
        ("precedes", "P1.D1.S1.C2", "P1.D1.S1.C3"),
        ("isPeerOf", "P1.D1.S1.C2", "P1.D1.S1.C3"),
        ("exemplar", "P1.D1.S1.C3", external("https://exemple.org/exemples/1", "Exemple")),
    ]
    return case_package(items, links)


CASE_ROLES = {4: "competence"}


def check_five_levels(data, scale_labels):
    assert [s.label for s in data.scale] == scale_labels
    assert [(d.code, d.parent) for d in data.domains] == [("P1", ""), ("P1.D1", "P1"), ("P1.D1.S1", "P1.D1")]
    competences = {c.code: c for c in data.competences}
    assert next(iter(competences)) == "P1.D1.S1.C1"
    first = competences["P1.D1.S1.C1"]
    # Over 200 characters: the abbreviated statement is the title, the whole statement opens the description.
    assert first.title == "Animer la participation citoyenne"
    assert first.description == f"{LONG_STATEMENT}\n- Prépare un déroulé : Écrit\n- Adapte les méthodes"
    assert first.related == ["P1.D1.S1.C3"]
    assert first.alignments == [
        AlignmentData("close", "esco", ESCO_URI, "0c4cf6c2-3bd3-4c7e-9b1b-4a6a8c5d4e10", "animer des ateliers"),
        AlignmentData("exact", "rome", ROME_URI, "124578", "Animer une réunion"),
    ]
    # No abbreviated statement: cut at a word, the whole statement kept in the description.
    second = next(c for c in data.competences if c.title.startswith("Évaluer"))
    assert len(second.title) <= 200 and second.title.endswith("…")
    assert second.description.startswith(LONG_STATEMENT.replace("Concevoir", "Évaluer"))
    assert second.code == "1.1.1-b"  # "1.1.1 b" is not a valid code: derived from it
    assert competences["P1.D1.S1.C3"].description == "Régulièrement\n- Rencontre les élus"
    assert competences["P1.D1.S1.C3"].related == ["P1.D1.S1.C1"]


def test_case_without_item_types_or_rubrics_read_by_level():
    result = read_file(raw=five_levels_package(), file_format="case")
    assert [(level.depth, level.count, level.default_role) for level in result.levels] == [
        (1, 1, "auto"),
        (2, 1, "auto"),
        (3, 1, "auto"),
        (4, 3, "auto"),
        (5, 4, "auto"),
    ]
    assert result.needs_scale
    notes = " ".join(result.notes)
    assert "2 associations de type « precedes » ne sont pas reprises" in notes
    assert "1 association de type « isPeerOf » n'est pas reprise" in notes
    assert "1 association de type « exemplar » n'est pas reprise" in notes
    mapped = remap(result.tree, CASE_ROLES, [LevelData(1, "Notions"), LevelData(2, "Maîtrise")])
    assert mapped.problems == []
    check_five_levels(mapped.data, ["Notions", "Maîtrise"])
    assert "2 intitulés dépassent 200 caractères : le texte entier est repris en tête de la description." in (
        mapped.notes
    )


def test_case_problems_name_case_fields_and_the_item_never_a_line():
    raw = five_levels_package().replace(ident("P1.D1").encode(), b"absent", 1)  # the item P1.D1 is gone
    problems = [str(p) for p in read_file(raw=raw, file_format="case").problems]
    assert (
        f"Élément « {ident('P1.D1.S1')} », champ « isChildOf » : le parent « {ident('P1.D1')} » n'est ni le "
        "CFDocument ni un élément du paquet." in problems
    )
    assert not any(problem.startswith("Ligne") for problem in problems)
    package = json.loads(five_levels_package())
    package["CFItems"][3]["humanCodingScheme"] = ["pas", "du", "texte"]
    problems = [str(p) for p in read_file(raw=json.dumps(package).encode(), file_format="case").problems]
    assert f"Élément « {ident('P1.D1.S1.C1')} », champ « humanCodingScheme » : texte attendu." in problems


def typed_package() -> bytes:
    """A US-style package: Cluster → Standard → Component, with a rubric giving the scale."""
    items = [
        ("K1", "Participation", {"CFItemType": "Cluster", "humanCodingScheme": "K1"}),
        ("K1.S1", "Animer un atelier", {"CFItemType": "Standard", "humanCodingScheme": "K1.S1"}),
        ("K1.S1.a", "Accueille les participants", {"CFItemType": "Component", "humanCodingScheme": "K1.S1.a"}),
        ("K1.S1.b", "Fait émerger les idées", {"CFItemType": "Component", "humanCodingScheme": "K1.S1.b"}),
        ("K1.S2", "Rédiger un avis", {"CFItemType": "Standard", "humanCodingScheme": "K1.S2"}),
        ("K1.S2.a", "Structure le propos", {"CFItemType": "Component", "humanCodingScheme": "K1.S2.a"}),
    ]
    links = [
        ("isChildOf", "K1", None, 1),
        ("isChildOf", "K1.S1", "K1", 1),
        ("isChildOf", "K1.S1.a", "K1.S1", 1),
        ("isChildOf", "K1.S1.b", "K1.S1", 2),
        ("isChildOf", "K1.S2", "K1", 2),
        ("isChildOf", "K1.S2.a", "K1.S2", 1),
        ("isTranslationOf", "K1.S1", external("https://example.org/en/K1.S1", "Lead a workshop")),
    ]
    rubric = {
        "identifier": str(uuid.uuid4()),
        "uri": "https://exemple.org/rubric",
        "title": "Niveaux",
        "lastChangeDateTime": STAMP,
        "CFRubricCriteria": [
            {
                "identifier": str(uuid.uuid4()),
                "uri": "https://exemple.org/criterion",
                "lastChangeDateTime": STAMP,
                "CFRubricCriterionLevels": [
                    {"identifier": str(uuid.uuid4()), "score": 1, "quality": "Débutant"},
                    {"identifier": str(uuid.uuid4()), "score": 2, "quality": "Confirmé"},
                ],
            }
        ],
    }
    return case_package(items, links, rubrics=[rubric])


def test_case_with_foreign_item_types_shows_them_by_level():
    result = read_file(raw=typed_package(), file_format="case")
    assert result.problems == []
    assert [(level.depth, level.types) for level in result.levels] == [
        (1, ["Cluster"]),
        (2, ["Standard"]),
        (3, ["Component"]),
    ]
    assert not result.needs_scale
    # By default the publisher's types give the roles: Cluster a domain, Standard a competence, its Components
    # folded into its description.
    assert [level.default_role for level in result.levels] == ["domaine", "competence", "auto"]
    assert [(c.code, c.domain) for c in result.data.competences] == [("K1.S1", "K1"), ("K1.S2", "K1")]
    mapped = remap(result.tree, {2: "competence", 3: "description"})
    assert [(c.code, c.domain, c.description) for c in mapped.data.competences] == [
        ("K1.S1", "K1", "- Accueille les participants\n- Fait émerger les idées"),
        ("K1.S2", "K1", "- Structure le propos"),
    ]


def test_competences_at_the_top_go_into_a_domain_named_after_the_framework():
    result = read_file(raw=typed_package(), file_format="case")
    mapped = remap(result.tree, {1: "competence", 2: "auto", 3: "auto"})
    assert mapped.problems == []
    assert [(d.code, d.title) for d in mapped.data.domains] == [
        ("Referentiel-regional-de-l-animation", "Référentiel régional de l'animation")
    ]
    assert mapped.data.competences[0].domain == "Referentiel-regional-de-l-animation"
    assert any("créé pour l'import" in note for note in mapped.notes)


def test_the_source_tree_survives_the_session_json():
    tree = read_file(raw=five_levels_package(), file_format="case").tree
    again = tree_from_json(json.loads(json.dumps(tree_to_json(tree))))
    scale = [LevelData(1, "Notions")]
    assert remap(again, CASE_ROLES, scale).data.comparable() == remap(tree, CASE_ROLES, scale).data.comparable()


@pytest.mark.django_db
def test_case_import_page_asks_for_a_scale_then_creates_the_draft(curator_client):
    response = post_file(curator_client, five_levels_package(), "case")
    assert response.status_code == 200
    assert len(level_rows(response)) == 5
    scale = select_one(response, "#import-scale")
    assert "Choisir ou créer l'échelle de niveaux" in text_of(scale)
    # No published version: only typing the levels is offered.
    assert [field.get("value") for field in select(scale, "input[name=echelle]")] == [SCALE_TYPED]
    assert select_one(response, "label[for=id_echelle_niveaux]") is not None
    assert "Créer le brouillon" not in main_text(response)
    assert "Champ « CFRubrics » : le fichier ne contient pas d'échelle de niveaux" in text_of(
        select_one(response, "#import-problems")
    )

    choices = {"niveau_4": "competence", "echelle": SCALE_TYPED, "echelle_niveaux": "Notions\nPratique\nMaîtrise\n"}
    response = curator_client.post(URL, {"apply": "1", **choices})
    assert select(response, "#import-problems") == []
    assert "3 niveaux d'échelle (1. Notions, 2. Pratique, 3. Maîtrise)" in main_text(response)
    assert select_one(response, "textarea[name=echelle_niveaux]").text.strip() == "Notions\nPratique\nMaîtrise"
    response = curator_client.post(URL, {"confirm": "1", **choices})
    assert response.status_code == 302
    stored = framework_snapshot(FrameworkVersion.objects.get(label="v2.0"))
    check_five_levels(stored, ["Notions", "Pratique", "Maîtrise"])
    tree = read_file(raw=five_levels_package(), file_format="case").tree
    expected = preview(tree, ImportChoices(CASE_ROLES, SCALE_TYPED, "Notions\nPratique\nMaîtrise")).data
    assert stored.comparable() == expected.comparable()


@pytest.mark.django_db
def test_case_without_rubrics_can_take_the_published_scale(curator_client):
    published = build_version()
    published_scale = [(s.value, s.label) for s in framework_snapshot(published).scale]
    response = post_file(curator_client, typed_package().replace(b'"CFRubrics"', b'"autre"'), "case")
    scale = select_one(response, "#import-scale")
    assert "Reprendre l'échelle de la version publiée : Notions, Application, Maîtrise, Expertise" in text_of(scale)
    response = curator_client.post(URL, {"apply": "1", "echelle": SCALE_PUBLISHED, "niveau_2": "competence"})
    assert "Créer le brouillon" in main_text(response)
    # A draft cannot exist alongside: the published version is not a draft, so the confirm goes through.
    response = curator_client.post(URL, {"confirm": "1"})
    assert response.status_code == 302
    stored = framework_snapshot(FrameworkVersion.objects.get(label="v2.0"))
    assert [(s.value, s.label) for s in stored.scale] == published_scale
    assert [c.code for c in stored.competences] == ["K1.S1", "K1.S2"]


# --- The command -----------------------------------------------------------------------------------------


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "referentiel-region.json"
    path.write_bytes(five_levels_package())
    return path


@pytest.mark.django_db
def test_command_dry_run_prints_the_preview_and_creates_nothing(case_file, capsys):
    call_command(
        "import_referentiel",
        str(case_file),
        "--format",
        "case",
        "--label",
        "v2.0",
        "--dry-run",
        "--niveau",
        "4=competence",
        "--echelle",
        "Notions;Pratique;Maîtrise;Expertise",
    )
    output = capsys.readouterr().out
    assert "niveau 4 : 3 éléments → Compétence" in output
    assert "niveau 5 : 4 éléments → Automatique" in output
    assert "Contenu : 4 niveau(x) d'échelle, 3 domaine(s), 3 compétence(s)" in output
    assert "Remarque : 2 associations de type « precedes » ne sont pas reprises" in output
    assert "Essai (--dry-run)" in output
    assert not FrameworkVersion.objects.exists()


@pytest.mark.django_db
def test_command_creates_the_draft_as_the_page_would(case_file, curator, capsys):
    call_command(
        "import_referentiel",
        str(case_file),
        "--format=case",
        "--label=v2.0",
        "--niveau=4=competence",
        "--echelle=Notions;Pratique;Maîtrise",
        f"--auteur={curator.email}",
    )
    draft = FrameworkVersion.objects.get(label="v2.0")
    assert draft.created_by == curator
    check_five_levels(framework_snapshot(draft), ["Notions", "Pratique", "Maîtrise"])
    assert "Brouillon v2.0 créé à partir de referentiel-region.json." in capsys.readouterr().out


@pytest.mark.django_db
def test_command_problems_exit_with_code_1_and_create_nothing(case_file, capsys):
    with pytest.raises(CommandError) as refused:
        call_command("import_referentiel", str(case_file), "--format=case", "--label=v2.0")
    assert refused.value.returncode == 1
    assert "problème(s) : rien n'est importé." in str(refused.value)
    assert "le fichier ne contient pas d'échelle de niveaux" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_referentiel", str(case_file), "--format=case", "--label=v 2", "--echelle=A;B", "--dry-run")
    assert "Un libellé de version commence par « v » suivi d'un chiffre" in capsys.readouterr().err
    with pytest.raises(CommandError, match="attendu NIVEAU=RÔLE"):
        call_command("import_referentiel", str(case_file), "--format=case", "--label=v2.0", "--niveau=4=chef")
    assert not FrameworkVersion.objects.exists()


ROLE_VALUES = ["auto", "domaine", "competence", "description"]


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(["moodle", "case-5", "case-typed"]),
    roles=st.dictionaries(st.integers(min_value=1, max_value=6), st.sampled_from(ROLE_VALUES), max_size=6),
)
def test_any_roles_give_problems_or_a_draft_never_a_crash(source, roles):
    raw, file_format = {
        "moodle": (moodle_csv(moodle_rows()), "moodle"),
        "case-5": (five_levels_package(), "case"),
        "case-typed": (typed_package(), "case"),
    }[source]
    tree = read_file(raw=raw, file_format=file_format).tree
    result = preview(tree, ImportChoices(roles, SCALE_TYPED, "Notions\nMaîtrise"))
    assert all(str(problem) for problem in result.problems)
    if not result.problems:
        draft = services.draft_create_from_data(data=result.data, label="v9.0", actor=None)
        assert framework_snapshot(draft).comparable() == result.data.comparable()
        draft.delete()
