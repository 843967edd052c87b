"""Importing trainings (preview of every line, line errors, confirmation, bounds) and the template and export."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditEntry
from tests.html import main_text, select, text_of
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_training
from training import transfer
from training.enums import TrainingFormat, TrainingStatus
from training.models import Training

pytestmark = pytest.mark.django_db

URL = "/parcours/formations/importer/"
HEADER = "titre;organisme;type_organisme;format;en_bref;duree_heures;cout_euros;competences;sessions;etat"


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


def csv_file(*lines, header=HEADER, name="formations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join([header, *lines]).encode("utf-8"), content_type="text/csv")


def upload(client, upload_file):
    return client.post(URL, {"file": upload_file})


GOOD_LINES = (
    "Animer une concertation;CNFPT – INSET d'Angers;CNFPT;présentiel;Trois jours de pratique.;21;0;"
    'C-1-01, C-2-02;"12/03/2027|14/03/2027|Angers|Pays de la Loire ; 05/10/2027||En ligne";publiée',
    "DU Démocratie participative;Université Lyon 2;Université;hybride;Un an en alternance.;120;2 900,50;C-1-02;;",
    "Webinaire;CNCD;CNCD;distanciel;Une heure.;1 h;Gratuit;;;",
)


def test_a_good_file_is_previewed_then_imported_on_confirmation(client, curator, version):
    existing = make_training(title="Webinaire : rédiger un avis", provider="CNCD", codes=["C-1-03"], sessions=1)
    client.force_login(curator)
    update_line = "webinaire : REDIGER un avis;cncd;CNCD;distance;Nouvelle présentation.;1,5;;;;"
    response = upload(client, csv_file(*GOOD_LINES, update_line))
    assert response.status_code == 200
    rows = select(response, "#import-lines tbody tr")
    assert [text_of(row.findall("td")[0]) for row in rows] == ["2", "3", "4", "5"]
    assert "Création" in text_of(rows[0]) and "Création" in text_of(rows[1])
    assert "Mise à jour" in text_of(rows[3])
    assert "3 formation(s) créée(s), 1 mise(s) à jour" in main_text(response)
    assert Training.objects.count() == 1  # nothing written before the confirmation

    response = client.post(URL, {"confirm": "1"})
    assert response.status_code == 302
    assert Training.objects.count() == 4
    created = Training.objects.get(title="Animer une concertation")
    assert created.status == TrainingStatus.PUBLISHED
    assert created.format == TrainingFormat.ON_SITE
    assert sorted(created.competences.values_list("code", flat=True)) == ["C-1-01", "C-2-02"]
    sessions = list(created.sessions.order_by("starts_on"))
    assert [session.starts_on for session in sessions] == [date(2027, 3, 12), date(2027, 10, 5)]
    assert sessions[0].ends_on == date(2027, 3, 14) and sessions[0].region.code == "52"
    assert sessions[1].place == "En ligne" and sessions[1].region is None
    du = Training.objects.get(title="DU Démocratie participative")
    assert du.status == TrainingStatus.DRAFT
    assert str(du.cost_euros) == "2900.50"
    existing.refresh_from_db()
    assert existing.summary == "Nouvelle présentation."
    assert existing.title == "Webinaire : rédiger un avis"  # matched, not renamed
    assert list(existing.competences.values_list("code", flat=True)) == ["C-1-03"]  # empty column: kept
    assert existing.sessions.count() == 1
    entry = AuditEntry.objects.get(action="training.import.done")
    assert entry.data["created"] == 3 and entry.data["updated"] == 1
    webinar = Training.objects.get(title="Webinaire")
    assert webinar.cost_euros == 0 and webinar.duration_hours == 1 and webinar.format == TrainingFormat.REMOTE
    # The confirmation is used once.
    client.post(URL, {"confirm": "1"})
    assert Training.objects.count() == 4


BAD_LINES = [
    (";CNFPT;CNFPT;présentiel;Résumé.;;;;;", "l'intitulé de la formation est obligatoire"),
    ("Formation;CNFPT;CNFPT;en plein air;Résumé.;;;;;", "« en plein air » inconnu"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;beaucoup;;;", "n'est pas un coût en euros"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;-10;;;", "n'est pas un coût en euros"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;;C-1-01, C-9-99;;", "code inconnu dans le référentiel v1.0 : C-9-99"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;;;31/02/2027;", "date de début de session illisible"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;;;12/03/2027|10/03/2027;", "finit avant de commencer"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;;;12/03/2027||Lyon|Atlantide;", "région inconnue"),
    ("Formation;CNFPT;Banque;présentiel;Résumé.;;;;;", "« Banque » inconnu"),
    ("Formation;CNFPT;CNFPT;présentiel;;;;;;", "obligatoire pour une nouvelle formation"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;;;;;peut-être", "écrivez « brouillon »"),
    ("Formation;CNFPT;CNFPT;présentiel;Résumé.;douze;;;;", "n'est pas une durée en heures"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES, ids=[message for _line, message in BAD_LINES])
def test_each_bad_line_is_reported_in_french_and_nothing_is_written(client, curator, version, line, message):
    client.force_login(curator)
    response = upload(client, csv_file(GOOD_LINES[1], line))
    assert response.status_code == 200
    rows = select(response, "#import-lines tbody tr")
    assert len(rows) == 2  # every line shown, the good one too
    assert "Erreur" in text_of(rows[1])
    assert message in text_of(rows[1])
    assert "Rien n'a été importé" in main_text(response)
    assert not select(response, "button[name=confirm]")
    client.post(URL, {"confirm": "1"})
    assert not Training.objects.exists()


def test_two_lines_for_the_same_training_are_refused(client, curator, version):
    client.force_login(curator)
    response = upload(client, csv_file(GOOD_LINES[1], GOOD_LINES[1].replace("Un an", "Deux ans")))
    assert "même intitulé et même organisme que la ligne 2" in main_text(response)


def test_a_file_without_the_required_columns_is_refused(client, curator, version):
    client.force_login(curator)
    response = upload(client, csv_file("Formation;Résumé", header="nom;en_bref"))
    assert "il manque les colonnes titre, organisme" in main_text(response)


def test_an_oversized_file_is_refused(client, curator, version):
    client.force_login(curator)
    big = SimpleUploadedFile("gros.csv", b"titre;organisme\n" + b"x" * (transfer.MAX_IMPORT_BYTES + 10))
    response = upload(client, big)
    assert "trop volumineux" in main_text(response)
    assert not Training.objects.exists()


def test_too_many_rows_are_refused(version):
    raw = ("titre;organisme;en_bref\n" + "".join(f"F{i};CNFPT;R\n" for i in range(transfer.MAX_ROWS + 1))).encode()
    preview = transfer.preview_file(raw)
    assert not preview.ok
    assert "trop de formations" in preview.problems[0]


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_an_xlsx_file_is_read_dates_and_numbers_included(client, curator, version):
    client.force_login(curator)
    raw = _xlsx(
        [
            ["Titre", "Organisme", "Format", "En bref", "Coût (euros)", "Compétences", "Sessions"],
            ["Animer à distance", "CNFPT", "À distance", "Deux demi-journées.", 150, "C-1-01", "2027-01-15"],
        ]
    )
    response = upload(client, SimpleUploadedFile("formations.xlsx", raw))
    assert "Création" in main_text(response), main_text(response)
    client.post(URL, {"confirm": "1"})
    training = Training.objects.get()
    assert training.format == TrainingFormat.REMOTE and training.cost_euros == 150
    assert training.sessions.get().starts_on == date(2027, 1, 15)


def test_an_xlsx_bomb_is_refused_before_it_is_unpacked(client, curator, version):
    client.force_login(curator)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (20 * 1024 * 1024))
    response = upload(client, SimpleUploadedFile("bombe.xlsx", output.getvalue()))
    assert response.status_code == 200
    assert "refusé" in main_text(response)
    assert not Training.objects.exists()


def test_a_formula_cell_is_an_error(version):
    raw = _xlsx([["titre", "organisme", "en_bref"], ["Formation", "CNFPT", "=1+1"]])
    preview = transfer.preview_file(raw)
    assert not preview.ok
    assert "formule" in " ".join(preview.lines[0].errors)


def test_confirming_without_a_preview_writes_nothing(client, curator, version):
    client.force_login(curator)
    response = client.post(URL, {"confirm": "1"}, follow=True)
    assert "L'aperçu a expiré" in main_text(response)
    assert not Training.objects.exists()


def test_cancel_forgets_the_preview(client, curator, version):
    client.force_login(curator)
    upload(client, csv_file(GOOD_LINES[1]))
    client.post(URL, {"cancel": "1"})
    client.post(URL, {"confirm": "1"})
    assert not Training.objects.exists()


def test_the_templates_are_downloadable_and_importable(client, curator, member):
    build_version(small_data("v1.0"))
    client.force_login(curator)
    response = client.get(reverse("training:import_template", args=["csv"]))
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(";") == list(transfer.COLUMNS)
    xlsx = client.get(reverse("training:import_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]] == list(transfer.COLUMNS)
    assert client.get(reverse("training:import_template", args=["pdf"])).status_code == 404
    client.force_login(member)
    assert client.get(reverse("training:import_template", args=["csv"])).status_code == 403


def test_an_export_can_be_imported_again(curator, version):
    original = make_training(title="Animer", codes=["C-1-01", "C-1-02"], sessions=2, cost_euros="12.50")
    exported = transfer.export_csv(Training.objects.all()).encode("utf-8")
    preview = transfer.preview_file(exported)
    assert preview.ok, [line.errors for line in preview.lines]
    assert preview.updated == 1 and preview.created == 0
    transfer.import_apply(lines=preview.lines, actor=curator)
    original.refresh_from_db()
    assert sorted(original.competences.values_list("code", flat=True)) == ["C-1-01", "C-1-02"]
    assert original.sessions.count() == 2
    assert str(original.cost_euros) == "12.50"


def test_the_export_neutralises_formulas(version):
    make_training(title="=HYPERLINK(1)")
    assert "'=HYPERLINK(1)" in transfer.export_csv(Training.objects.all())


def test_the_management_command_uses_the_same_checks(tmp_path, curator, member, version):
    good = tmp_path / "bon.csv"
    good.write_text("\n".join([HEADER, *GOOD_LINES]), encoding="utf-8")
    bad = tmp_path / "mauvais.csv"
    bad.write_text("\n".join([HEADER, BAD_LINES[0][0]]), encoding="utf-8")
    with pytest.raises(CommandError, match="obligatoire"):
        call_command("import_trainings", str(bad), curateur=curator.email)
    with pytest.raises(CommandError, match="équipe CNCD"):
        call_command("import_trainings", str(good), curateur=member.email)
    out = io.StringIO()
    call_command("import_trainings", str(good), curateur=curator.email, essai=True, stdout=out)
    assert "3 formation(s) à créer" in out.getvalue()
    assert not Training.objects.exists()
    call_command("import_trainings", str(good), curateur=curator.email, stdout=out)
    assert Training.objects.count() == 3
    assert AuditEntry.objects.filter(action="training.import.done").count() == 1
