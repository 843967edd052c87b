"""The catalogue's import (CNCD team: preview, line errors, confirmation) and export (public resources, licences)."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.html import main_text
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox.enums import Audience, Hosting, Licence, ResourceKind, ResourceStatus
from toolbox.models import Resource

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("toolbox:import")
HEADERS = [
    "Nature",
    "Titre",
    "En bref",
    "Description",
    "Licence",
    "Visibilité",
    "Codes",
    "Auteurs",
    "Objectif",
    "Participants min",
    "Participants max",
    "Déroulé",
    "Usage",
    "Données",
    "Hébergement",
    "Part humaine",
    "Coût",
    "Vigilance",
    "IA",
    "Adresse",
]
METHOD = [
    "Méthode d'animation",
    "World café",
    "Faire parler un grand groupe",
    "Trois tours de tables.",
    "CC BY 4.0",
    "public",
    "C-1-01; M1",
    "Collectif d'animation",
    "Faire émerger les idées",
    "12",
    "60",
    "1. Accueil\n2. Tables",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
]
TOOL = [
    "outil",
    "Transcription",
    "Transcrire les séances",
    "",
    "",
    "membres",
    "M1.A1",
    "",
    "",
    "",
    "",
    "",
    "Transcrire",
    "L'audio part chez l'éditeur",
    "ue",
    "La synthèse",
    "Gratuit",
    "Accord des personnes",
    "oui",
    "",
]
EXTERNAL = ["externe", "Guide", "Un guide", "", "droits-reserves", "", "", "", *[""] * 11, "https://example.org/guide"]


@pytest.fixture
def framework():
    return build_version(small_data("v1.0"))


def csv_file(rows, *, delimiter=",", encoding="utf-8", name="ressources.csv"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("ressources.xlsx", output.getvalue())


def test_non_curators_cannot_import(client, member, pending_user):
    client.force_login(member)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": csv_file([METHOD])}).status_code == 403
    assert Client().get(IMPORT_URL).status_code == 302  # to the login page
    assert not Resource.objects.exists()


def test_csv_preview_then_confirm_creates_published_resources(client, curator, framework):
    client.force_login(curator)
    response = client.post(IMPORT_URL, {"file": csv_file([METHOD, TOOL, EXTERNAL], delimiter=";", encoding="cp1252")})
    assert response.status_code == 200
    text = main_text(response)
    assert "3 ressources seront créées et publiées" in text
    assert "World café" in text and "C-1-01, M1" in text
    assert not Resource.objects.exists(), "nothing is written before the confirmation"

    response = client.post(IMPORT_URL, {"confirm": "1"})
    assert response.status_code == 302
    resources = {resource.title: resource for resource in Resource.objects.all()}
    assert set(resources) == {"World café", "Transcription", "Guide"}
    method = resources["World café"]
    assert method.kind == ResourceKind.METHOD and method.status == ResourceStatus.PUBLISHED
    assert method.is_public and method.licence == Licence.CC_BY
    assert method.owner == curator and method.other_authors == "Collectif d'animation"
    assert (method.group_min, method.group_max, method.steps) == (12, 60, "1. Accueil\n2. Tables")
    assert sorted(method.links.values_list("kind", "code")) == [("competence", "C-1-01"), ("mission", "M1")]
    tool = resources["Transcription"]
    assert tool.audience == Audience.MEMBERS and not tool.is_public and tool.is_published
    assert tool.is_ai and tool.hosting == Hosting.EU
    assert list(tool.links.values_list("kind", flat=True)) == ["activite"]
    assert resources["Guide"].licence == Licence.RESERVED
    # The session no longer holds the rows: a second confirmation creates nothing.
    client.post(IMPORT_URL, {"confirm": "1"})
    assert Resource.objects.count() == 3


def test_line_errors_are_listed_and_nothing_is_written(client, curator, framework):
    bad_code = [*METHOD]
    bad_code[6] = "C-9-99"
    missing_steps = [*METHOD]
    missing_steps[11] = ""
    bad_kind = [*METHOD]
    bad_kind[0] = "poème"
    bad_number = [*METHOD]
    bad_number[9] = "douze"
    client.force_login(curator)
    response = client.post(IMPORT_URL, {"file": csv_file([METHOD, bad_code, missing_steps, bad_kind, bad_number])})
    text = main_text(response)
    # A record whose quoted cell spans two lines (the steps) is numbered by its first line.
    assert "Rien n'a été importé : 4 problèmes à corriger." in text
    assert "Ligne 4, colonne « codes » : code inconnu dans le référentiel v1.0 : C-9-99." in text
    assert "Ligne 6, colonne « deroule » : obligatoire pour « Méthode d'animation »." in text
    assert "Ligne 7, colonne « nature »" in text
    assert "Ligne 9, colonne « participants_min » : « douze » n'est pas un nombre entier." in text
    assert "Confirmer l'import" not in text
    assert client.post(IMPORT_URL, {"confirm": "1"}).status_code == 302
    assert not Resource.objects.exists()


def test_xlsx_preview_shows_line_errors(client, curator, framework):
    formula = [*EXTERNAL]
    formula[1] = '=HYPERLINK("http://x")'
    bad_url = [*EXTERNAL]
    bad_url[19] = "javascript:alert(1)"
    client.force_login(curator)
    response = client.post(IMPORT_URL, {"file": xlsx_file([METHOD, formula, bad_url])})
    text = main_text(response)
    assert "Ligne 3, colonne « titre » : la cellule contient une formule" in text
    assert "Ligne 4, colonne « adresse » : « javascript:alert(1) » n'est pas une adresse web" in text
    assert not Resource.objects.exists()


def test_valid_xlsx_import(client, curator, framework):
    client.force_login(curator)
    response = client.post(IMPORT_URL, {"file": xlsx_file([METHOD, EXTERNAL])})
    assert "2 ressources seront créées et publiées" in main_text(response)
    client.post(IMPORT_URL, {"confirm": "1"})
    assert Resource.objects.published().count() == 2


def test_missing_columns_and_unreadable_files_are_refused(client, curator):
    client.force_login(curator)
    no_title = SimpleUploadedFile("a.csv", b"nature;description\nmethode;x\n")
    text = main_text(client.post(IMPORT_URL, {"file": no_title}))
    assert "il manque les colonnes titre, en_bref" in text
    binary = SimpleUploadedFile("a.csv", b"\x00\x01\x02binaire")
    assert "données binaires" in main_text(client.post(IMPORT_URL, {"file": binary}))
    assert not Resource.objects.exists()


def test_previews_are_rate_limited(client, curator, settings):
    settings.PREVIEWS_PER_MINUTE = 1
    client.force_login(curator)
    assert client.post(IMPORT_URL, {"file": csv_file([EXTERNAL])}).status_code == 200
    response = client.post(IMPORT_URL, {"file": csv_file([EXTERNAL])})
    assert response.status_code == 429
    assert "Trop d'aperçus" in main_text(response)


@pytest.fixture
def catalogue(member, curator, framework):
    public = make_resource(
        member,
        published_by=curator,
        public=True,
        links=[("competence", "C-1-01", "Compétence 1.1")],
        title="=SUM(A1:A3) méthode publique",
        other_authors="Association Exemple",
        licence=Licence.CC_BY,
    )
    members_only = make_resource(member, published_by=curator, title="Réservée aux membres")
    draft = make_resource(member, public=True, title="Brouillon public")
    return public, members_only, draft


def test_json_export_has_only_public_resources_with_their_licence(client, catalogue, member, settings):
    settings.SITE_URL = "https://reseau.example.org"
    public = catalogue[0]
    response = Client().get(reverse("toolbox:export", kwargs={"file_format": "json"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(response.content)
    assert "licence" in payload["licence_note"]
    [record] = payload["resources"]
    assert record["title"] == "=SUM(A1:A3) méthode publique"
    assert record["kind"] == "methode"
    assert record["url"] == f"https://reseau.example.org/boite-a-outils/{public.pk}/"
    assert record["licence"] == {
        "code": "cc-by-4.0",
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
    }
    assert record["authors"] == [member.credit_name()]
    assert record["other_authors"] == "Association Exemple"
    assert record["codes"] == ["C-1-01"]
    assert record["published_at"]
    assert record["fields"]["group_min"] == 12 and "url" not in record["fields"]


def test_csv_export_is_utf8_with_bom_neutralised_and_public_only(client, catalogue):
    response = client.get(reverse("toolbox:export", kwargs={"file_format": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    [row] = rows
    assert row["titre"] == "'=SUM(A1:A3) méthode publique"
    assert row["licence"] == "cc-by-4.0" and row["licence_nom"] == "CC BY 4.0"
    assert row["licence_adresse"].startswith("https://creativecommons.org/")
    assert row["codes"] == "C-1-01" and row["participants_min"] == "12" and row["adresse"] == ""


def test_csv_export_imports_again(client, curator, catalogue):
    exported = client.get(reverse("toolbox:export", kwargs={"file_format": "csv"})).content
    client.force_login(curator)
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("export.csv", exported)})
    text = main_text(response)
    assert "1 ressource sera créée et publiée" in text
    assert "=SUM(A1:A3) méthode publique" in text


def test_unknown_export_format_is_404(client):
    assert client.get(reverse("toolbox:export", kwargs={"file_format": "xml"})).status_code == 404


def test_import_page_states_the_columns(client, curator):
    client.force_login(curator)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    text = main_text(response)
    assert "Importer une liste de ressources" in text
    assert "Obligatoires : nature, titre, en_bref." in text
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_export_queries_do_not_grow_with_the_catalogue(client, member, curator, framework):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("toolbox:export", kwargs={"file_format": "json"})).status_code == 200
        return len(captured)

    first = make_resource(member, published_by=curator, public=True, links=[("competence", "C-1-01", "Compétence 1.1")])
    first.coauthors.add(curator)
    one = queries()
    for number in range(3):
        resource = make_resource(member, published_by=curator, public=True, title=f"Ressource {number}")
        resource.coauthors.add(curator)
    assert queries() == one


def test_import_command(tmp_path, curator, member, framework):
    from django.core.management import CommandError, call_command

    path = tmp_path / "ressources.csv"
    path.write_bytes(csv_file([METHOD, EXTERNAL]).read())
    call_command("import_toolbox", str(path), "--curateur", curator.email, "--essai")
    assert not Resource.objects.exists()
    with pytest.raises(CommandError, match="pas un compte de l'équipe"):
        call_command("import_toolbox", str(path), "--curateur", member.email)
    call_command("import_toolbox", str(path), "--curateur", curator.email)
    assert Resource.objects.published().count() == 2


def test_export_follows_the_catalogue_filters(client):
    from tests.members.factories import UserFactory
    from tests.toolbox.factories import make_resource
    from toolbox.enums import ResourceKind

    owner, curator = UserFactory(), UserFactory(curator=True)
    make_resource(owner, kind=ResourceKind.METHOD, title="Débat mouvant", published_by=curator, public=True)
    make_resource(owner, kind=ResourceKind.EXTERNAL, title="Loi NOTRe", published_by=curator, public=True)
    whole = client.get(reverse("toolbox:export", kwargs={"file_format": "json"})).json()
    methods = client.get(reverse("toolbox:export", kwargs={"file_format": "json"}) + "?nature=methode").json()
    assert len(whole["resources"]) == 2
    assert [item["title"] for item in methods["resources"]] == ["Débat mouvant"]
