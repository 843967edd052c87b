"""A framework written by another tool, in a browser: a French Moodle export of four levels is imported,
its levels mapped, the draft browsed as a tree; a competence is linked to ROME; the CASE export is strict."""

import json
import re

from playwright.sync_api import expect

from competences.models import FrameworkVersion
from tests.e2e.login import log_in
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version
from tests.referentiel.test_exports import schema_errors
from tests.referentiel.test_import_real_files import moodle_csv, moodle_rows


def test_a_curator_imports_a_moodle_framework_maps_its_levels_and_links_a_competence(
    page, live_server, check_page, tmp_path
):
    build_version(label="v1.0")
    curator = UserFactory(curator=True, email="curatrice@example.org")
    log_in(page, live_server, curator.email)

    page.goto(live_server.url + "/referentiel/gestion/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un référentiel dans un nouveau brouillon")
    check_page(page, "interop-00-import")
    upload = tmp_path / "referentiel-moodle.csv"
    upload.write_bytes(moodle_csv(moodle_rows(), delimiter=";", encoding="cp1252"))
    page.get_by_label("Fichier", exact=False).first.set_input_files(str(upload))
    page.get_by_role("combobox", name="Format").select_option(label="CSV de référentiel Moodle")
    page.get_by_role("textbox", name=re.compile("^Libellé du brouillon créé")).fill("v2.0")
    page.get_by_role("button", name="Vérifier le fichier").click()

    # The levels found in the file, each with its role; the fourth is folded into descriptions.
    expect(page.locator("#import-levels tbody tr")).to_have_count(4)
    expect(page.get_by_label("Niveau 4")).to_have_value("auto")
    check_page(page, "interop-01-apercu")
    page.get_by_label("Niveau 3").select_option("competence")
    page.get_by_label("Niveau 4").select_option("description")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_label("Niveau 4")).to_have_value("description")
    expect(page.locator("#import-counts")).to_contain_text("4 compétences")
    check_page(page, "interop-02-apercu-ajuste")
    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brouillon v2.0")
    check_page(page, "interop-03-brouillon-arbre")

    # The draft read as a tree: nested domains, each a heading one level below its parent.
    page.goto(live_server.url + "/referentiel/v2.0/competences/")
    nested = page.locator("section.ref-depth-1").first
    expect(nested).to_be_visible()
    expect(nested.locator("h3").first).to_be_visible()
    check_page(page, "interop-04-competences-arbre")

    # A competence linked to the national job repertoire (ROME 4.0), shown on its page.
    code = page.locator("section.ref-depth-1 .ref-competence .ref-code").first.inner_text()
    page.goto(live_server.url + f"/referentiel/gestion/v2.0/competences/{code}/")
    first = page.locator("fieldset").filter(has_text="Correspondances avec d'autres référentiels")
    first.get_by_label("Référentiel externe").first.select_option(label="ROME 4.0 (France Travail)")
    first.get_by_label("Relation").first.select_option(label="Proche de")
    first.get_by_label("Code", exact=True).first.fill("K1802")
    first.get_by_label("Intitulé", exact=True).first.fill("Développement local")
    check_page(page, "interop-05-correspondance")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text(re.compile(r"est enregistré dans le brouillon"))).to_be_visible()
    page.goto(live_server.url + f"/referentiel/v2.0/competences/{code}/")
    expect(page.locator(".ref-alignments")).to_contain_text("Proche de ROME 4.0 (France Travail) K1802")
    check_page(page, "interop-06-competence")

    # The CASE export of that draft passes the official 1EdTech CASE 1.1 schema.
    response = page.request.get(live_server.url + "/referentiel/v2.0/export/case/")
    package = json.loads(response.body())
    assert schema_errors(package) == []
    assert package["CFDocument"]["adoptionStatus"] == "Draft"
    assert FrameworkVersion.objects.get(label="v2.0").is_draft
