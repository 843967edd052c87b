"""The team's results page, its exports, its report and the publication of a public summary."""

import csv
import io
import random
import statistics
import time
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from core.audit import AuditEntry
from core.enums import PdfExportStatus
from core.figures.tables import STATISTIC_WITHHELD_LABEL
from core.models import PdfExport
from surveys.enums import CampaignStatus
from surveys.models import Response
from surveys.report import SURVEY_REPORT
from surveys.results import ALL, CampaignFigures, category_view, region_view
from tests.html import main_text, select, text_of
from tests.surveys.factories import make_campaign, make_questionnaire, make_response
from tests.surveys.results_data import STANDARD_GROUPS, answers_for, closed_campaign_with

pytestmark = pytest.mark.django_db


def results_url(campaign, query=""):
    return reverse("surveys:results", args=[campaign.pk]) + (f"?{query}" if query else "")


def _rows(result, table_index=-1):
    table = result.tables()[table_index]
    return {row.code or row.label: row.cells for row in table.rows}


def _question(results, code):
    return next(question for question in results.questions if question.spec.code == code)


# --- Aggregates, kind by kind ------------------------------------------------------------------------


@pytest.fixture
def known_campaign():
    """Ten responses whose every figure is known."""
    campaign = make_campaign(open_now=False)
    for number in range(10):
        ai = "oui" if number < 7 else "non"
        answers = {
            "ia": ai,
            "temps": {"animer": 50, "accompagner": 30, "valoriser": 20}
            if number < 5
            else {"animer": 70, "accompagner": 30},
            "satisfaction": 4 if number < 6 else 2,
            "seances": str(number * 10),
            "outil": f"Outil {9 - number}",
        }
        if ai == "oui":
            answers["ia-usages"] = ["synthese", "courriers"] if number < 6 else ["synthese"]
        make_response(campaign, answers, region_code="53", category="A")  # one group: no filter, no masking
    return campaign


def test_single_choice_counts_and_shares(known_campaign):
    results = CampaignFigures(known_campaign).results()
    question = _question(results, "ia")
    assert question.answered.value == 10
    rows = _rows(question)
    # 3 "non": a count of 1 to 4 reads "moins de 5", and "oui" is masked too (10 − 7 would give it back)
    assert rows["non"][0].state == "small"
    assert rows["oui"][0].state == "masked"
    assert rows["non"][1].withheld_statistic and rows["oui"][1].withheld_statistic


def test_single_choice_shares_when_every_count_is_shown(db):
    campaign = closed_campaign_with([("53", "A", 12)])
    question = _question(CampaignFigures(campaign).results(), "ia")
    rows = _rows(question)
    counts = [rows["oui"][0].value, rows["non"][0].value]
    assert sum(counts) == 12 and min(counts) >= 5
    assert rows["oui"][1].value == round(100 * counts[0] / 12, 1)


def test_multiple_choice_shares_are_of_the_respondents(known_campaign):
    question = _question(CampaignFigures(known_campaign).results(), "ia-usages")
    assert question.answered.value == 7
    rows = _rows(question)
    assert rows["synthese"][0].value == 7 and rows["synthese"][1].value == 100.0
    assert rows["courriers"][0].value == 6 and rows["courriers"][1].value == pytest.approx(85.7)
    assert rows["transcription"][0].value == 0  # zeros are published: they describe nobody
    assert "100\u00a0%" in question.table.note


def test_scale_counts_every_step(known_campaign):
    question = _question(CampaignFigures(known_campaign).results(), "satisfaction")
    rows = _rows(question)
    assert [rows[step][0].value for step in ("1", "3", "5")] == [0, 0, 0]
    assert rows["2"][0].state == "small"
    assert rows["4"][0].state == "masked"  # 10 − 6 would give the 4 back
    assert question.chart_kind == "histogram"


def test_number_statistics_and_bands(known_campaign):
    question = _question(CampaignFigures(known_campaign).results(), "seances")
    values = [number * 10 for number in range(10)]
    stats = {row.label: row.cells[0].value for row in question.stats.rows}
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert stats == {"Moyenne": 45.0, "Premier quartile": q1, "Médiane": median, "Troisième quartile": q3}
    bands = question.table.rows
    assert bands[0].label == "de 0 à moins de 20"
    assert bands[-1].label == "de 80 à 100"
    assert sum(cell.value for row in bands for cell in row.cells if cell.shown) <= 10


def test_split_means_and_distribution(known_campaign):
    question = _question(CampaignFigures(known_campaign).results(), "temps")
    means = {row.code: row.cells[0].value for row in question.stats.rows}
    assert means == {"animer": 60.0, "accompagner": 30.0, "valoriser": 10.0}
    distribution = {row.code: [cell.value for cell in row.cells] for row in question.table.rows}
    assert distribution["accompagner"] == [0, 0, 10, 0, 0]
    assert distribution["valoriser"] == [5, 5, 0, 0, 0]


def test_statistics_over_fewer_than_5_answers_are_withheld():
    campaign = make_campaign(open_now=False)
    for number in range(6):
        answers = {"ia": "non"}
        if number < 4:
            answers["seances"] = "12"
            answers["temps"] = {"animer": 100}
        make_response(campaign, answers)
    results = CampaignFigures(campaign).results()
    seances = _question(results, "seances")
    assert seances.answered.state == "small"
    assert all(row.cells[0].withheld_statistic for row in seances.stats.rows)
    assert all(row.cells[0].withheld_statistic for row in _question(results, "temps").stats.rows)


def test_free_texts_listed_sorted_and_escaped_for_the_team(curator_client, known_campaign):
    make_response(known_campaign, {"ia": "non", "outil": "<script>alert('x')</script>"})
    response = curator_client.get(results_url(known_campaign))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content
    texts = [text_of(item) for item in select(response, ".surveys-text")]
    assert texts == sorted(texts, key=str.casefold)
    assert "Outil 0" in texts


def test_free_texts_are_not_listed_under_a_filter(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    response = curator_client.get(results_url(campaign, "groupe=region-53"))
    assert response.status_code == 200
    assert not select(response, ".surveys-text")
    assert "Les réponses libres ne sont listées que pour l'ensemble" in main_text(response)


def test_a_campaign_under_5_responses_shows_nothing(curator_client):
    campaign = make_campaign(open_now=False)
    for _number in range(4):
        make_response(campaign, {"ia": "oui", "outil": "Texte-confidentiel"})
    response = curator_client.get(results_url(campaign))
    assert "Moins de 5 personnes ont répondu" in main_text(response)
    assert "Texte-confidentiel" not in response.content.decode()
    assert not select(response, "table")


def test_page_shows_small_counts_as_moins_de_5(curator_client, known_campaign):
    response = curator_client.get(results_url(known_campaign))
    text = main_text(response)
    assert "moins de 5" in text
    assert "masqué" in text or "moins de 5" in text


def test_results_are_for_the_team_only(member_client, known_campaign):
    assert member_client.get(results_url(known_campaign)).status_code == 403


def test_anonymous_visitors_must_log_in(client, known_campaign):
    assert client.get(results_url(known_campaign)).status_code == 302


def test_unknown_campaign_is_404(curator_client):
    assert curator_client.get(reverse("surveys:results", args=[999999])).status_code == 404


def test_htmx_filter_returns_the_fragment(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    response = curator_client.get(results_url(campaign, "groupe=categorie-B"), headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="surveys-results"')
    assert "Catégorie de poste : Catégorie B" in content


# --- Exports ------------------------------------------------------------------------------------------


def _page_cells(response) -> list[list[str]]:
    """Every data table row of the page's results, as text."""
    rows = []
    for table in select(response, "#surveys-results table"):
        for row in select(table, "tbody tr"):
            rows.append([text_of(cell).replace(str(STATISTIC_WITHHELD_LABEL), "") for cell in select(row, "th, td")])
    return rows


def test_csv_export_is_the_page(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    page = curator_client.get(results_url(campaign, "groupe=region-53"))
    response = curator_client.get(reverse("surveys:results_csv", args=[campaign.pk]) + "?groupe=region-53")
    assert response.status_code == 200
    assert "region-53" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[0][0].startswith("Résultats de l'enquête")
    assert any("moins de 5" in line[0] for line in lines[:8])  # the rule, stated at the top
    exported = [[cell.replace(",", ".") for cell in line] for line in lines]
    for row in _page_cells(page):
        expected = [cell.replace("\u202f", "").replace("\xa0", "").replace(",", ".") for cell in row]
        assert expected in exported, row
    assert "Framapad" not in text and "Miro" not in text  # never a free text


def test_xlsx_export_is_the_page(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    page = curator_client.get(results_url(campaign))
    response = curator_client.get(reverse("surveys:results_xlsx", args=[campaign.pk]))
    assert "toutes" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.append([("" if value is None else str(value)) for value in row])
    flat = {tuple(value.replace(".", ",") for value in row if value) for row in cells}
    for row in _page_cells(page):
        expected = tuple(cell.replace("\u202f", "").replace("\xa0", "") for cell in row)
        expected = tuple(value for value in expected if value)
        assert expected in flat or tuple(v.replace(",0", "") for v in expected) in flat, row
    assert not any("Framapad" in value for row in cells for value in row)


def test_export_of_a_refused_group_exports_nothing(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    response = curator_client.get(reverse("surveys:results_csv", args=[campaign.pk]) + "?groupe=region-94")
    assert response.status_code == 302
    assert response.url == results_url(campaign)


def test_export_cells_are_neutralised(curator_client):
    questionnaire = make_questionnaire()
    question = questionnaire.sections.first().questions.get(code="ia")
    question.options = [{"value": "oui", "label": '=HYPERLINK("x")'}, {"value": "non", "label": "Non"}]
    question.save()
    campaign = closed_campaign_with([("53", "A", 10)], questionnaire=questionnaire)
    text = curator_client.get(reverse("surveys:results_csv", args=[campaign.pk])).content.decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and ";=HYPERLINK" not in text


# --- The PDF report -----------------------------------------------------------------------------------


def test_report_is_prepared_and_downloaded(curator_client, django_capture_on_commit_callbacks):
    campaign = closed_campaign_with(STANDARD_GROUPS, title="Enquête pratiques 2025")
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(reverse("surveys:results_report", args=[campaign.pk]) + "?groupe=region-53")
    export = PdfExport.objects.latest("created_at")
    assert export.kind == SURVEY_REPORT
    assert export.params == {"campaign": campaign.pk, "groupe": "region-53"}
    assert response.url == reverse("surveys:results_report_status", args=[export.pk])
    export.refresh_from_db()
    assert export.status == PdfExportStatus.DONE, export.error
    status = curator_client.get(response.url)
    assert "Le rapport est prêt" in main_text(status)
    download = curator_client.get(reverse("surveys:results_report_download", args=[export.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Enquête pratiques 2025" in text
    assert "Bretagne" in text
    assert "Framapad" not in text  # never a free text in a report
    assert "/StructTreeRoot" in str(reader.trailer["/Root"].keys())  # tagged


def test_report_status_is_for_its_requester_only(curator_client, django_capture_on_commit_callbacks, client):
    from core.enums import Role
    from tests.conftest import force_login_with_second_factor
    from tests.members.factories import UserFactory

    campaign = closed_campaign_with(STANDARD_GROUPS)
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(reverse("surveys:results_report", args=[campaign.pk]))
    export = PdfExport.objects.latest("created_at")
    other = UserFactory(role=Role.CURATOR)
    force_login_with_second_factor(client, other)
    assert client.get(reverse("surveys:results_report_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("surveys:results_report_download", args=[export.pk])).status_code == 404


# --- Publishing -----------------------------------------------------------------------------------------


def publish_url(campaign):
    return reverse("surveys:results_publish", args=[campaign.pk])


def test_publish_a_closed_campaign(curator_client, client, curator):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    public_url = reverse("surveys:public_results", args=[campaign.pk])
    assert client.get(public_url).status_code == 404
    response = curator_client.post(
        publish_url(campaign), {"public_summary": "Les **pratiques** évoluent.", "lock_version": campaign.lock_version}
    )
    assert response.status_code == 302 and response.url == public_url
    campaign.refresh_from_db()
    assert campaign.results_published_at is not None
    entry = AuditEntry.objects.get(action="surveys.results.published")
    assert entry.actor == curator and entry.data == {"first": True}
    page = client.get(public_url)
    assert page.status_code == 200
    assert "<strong>pratiques</strong>" in page.content.decode()
    assert "Framapad" not in page.content.decode()  # never a free text publicly
    # only region filters publicly, never categories
    assert select(page, "option[value='region-53']")
    assert not select(page, "option[value^='categorie']")
    refused = client.get(public_url + "?groupe=categorie-A")
    assert "Ce groupe n'est pas proposé" in main_text(refused)


def test_open_campaigns_cannot_be_published(curator_client):
    campaign = make_campaign(open_now=True)
    for _number in range(6):
        make_response(campaign, {"ia": "oui"})
    response = curator_client.post(publish_url(campaign), {"public_summary": "Trop tôt", "lock_version": 0})
    assert response.status_code == 200
    assert "une fois la campagne close" in main_text(response)
    campaign.refresh_from_db()
    assert campaign.results_published_at is None
    assert not AuditEntry.objects.filter(action="surveys.results.published").exists()


def test_an_open_campaign_past_its_close_is_closed_for_publishing(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS, status=CampaignStatus.OPEN)
    response = curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": 0})
    assert response.status_code == 302


def test_publishing_needs_a_summary_and_keeps_what_was_typed(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    response = curator_client.post(publish_url(campaign), {"public_summary": "   ", "lock_version": 0})
    assert "Écrivez la synthèse publique" in main_text(response)
    too_long = "x" * 10_001
    response = curator_client.post(publish_url(campaign), {"public_summary": too_long, "lock_version": 0})
    assert response.status_code == 200
    assert too_long in response.content.decode()


def test_publishing_detects_a_conflicting_edit(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    curator_client.post(publish_url(campaign), {"public_summary": "Première version", "lock_version": 0})
    response = curator_client.post(publish_url(campaign), {"public_summary": "Ma version", "lock_version": 0})
    assert response.status_code == 200
    assert "Quelqu'un a enregistré une modification" in main_text(response)
    assert "Ma version" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.public_summary == "Première version"


def test_members_cannot_publish(member_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    assert member_client.post(publish_url(campaign), {"public_summary": "x", "lock_version": 0}).status_code == 403
    assert member_client.post(reverse("surveys:results_unpublish", args=[campaign.pk])).status_code == 403


def test_unpublish(curator_client, client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": 0})
    response = curator_client.post(reverse("surveys:results_unpublish", args=[campaign.pk]))
    assert response.status_code == 302
    assert client.get(reverse("surveys:public_results", args=[campaign.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="surveys.results.unpublished").exists()
    campaign.refresh_from_db()
    assert campaign.public_summary == "Bilan"


def test_publishing_a_campaign_under_5_responses_is_refused(curator_client):
    campaign = closed_campaign_with([("53", "A", 3)])
    response = curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": 0})
    assert "Moins de 5 personnes ont répondu" in main_text(response)


# --- Speed and queries -----------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_responses(curator_client):
    small = closed_campaign_with(STANDARD_GROUPS)
    large = closed_campaign_with(STANDARD_GROUPS * 5, seed=3)
    counts = []
    for campaign in (small, large):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get(results_url(campaign)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_thousand_responses_under_a_second(curator_client):
    rng = random.Random(5)
    campaign = make_campaign(open_now=False)
    regions = ["53", "11", "84", "93", "24", "27", "28", "32", "44", "52", "75", "76", "94"]
    Response.objects.bulk_create(
        [
            Response(
                campaign=campaign, answers=answers_for(rng), region_code=rng.choice(regions), category=rng.choice("ABC")
            )
            for _number in range(1000)
        ]
    )
    started = time.perf_counter()
    response = curator_client.get(results_url(campaign))
    assert response.status_code == 200
    assert time.perf_counter() - started < 1.0


def test_views_of_a_campaign(db):
    figures = CampaignFigures(closed_campaign_with(STANDARD_GROUPS))
    assert figures.groups.regions == {"53": 12, "11": 9}
    assert figures.groups.categories == {"A": 14, "B": 10, "C": 6}
    assert figures.results(region_view("53")).respondents.value == 12
    assert figures.results(category_view("C")).respondents.value == 6
    assert figures.results(ALL).respondents.value == 30
    assert not figures.results(region_view("28")).shown  # 6, but the rest would be 3
    assert Decimal("0") == Decimal(0)


# --- Home blocks --------------------------------------------------------------------------------------------


def test_the_team_is_reminded_of_results_to_publish(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS, title="Enquête à publier")
    closed_campaign_with([("53", "A", 3)], title="Enquête trop petite")
    text = main_text(curator_client.get(reverse("team_todo")))
    assert "Résultats d'enquête à publier" in text
    assert "Enquête à publier" in text and "Enquête trop petite" not in text
    curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": 0})
    assert "Enquête à publier" not in main_text(curator_client.get(reverse("team_todo")))


def test_members_read_the_news_of_published_results(member_client, curator):
    from surveys.results import results_publish

    campaign = closed_campaign_with(STANDARD_GROUPS, title="Enquête publiée")
    results_publish(campaign_id=campaign.pk, actor=curator, summary="Bilan", lock_version=None)
    response = member_client.get(reverse("my_space"))
    assert "Résultats de l'enquête « Enquête publiée »" in main_text(response)
    assert select(response, f"a[href='{reverse('surveys:public_results', args=[campaign.pk])}']")


def test_public_page_queries_do_not_grow_with_responses(client, curator):
    from surveys.results import results_publish

    counts = []
    for groups, seed in ((STANDARD_GROUPS, 1), (STANDARD_GROUPS * 4, 2)):
        campaign = closed_campaign_with(groups, seed=seed)
        results_publish(campaign_id=campaign.pk, actor=curator, summary="Bilan", lock_version=None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("surveys:public_results", args=[campaign.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_bad_inputs_are_refused_calmly(curator_client):
    campaign = closed_campaign_with(STANDARD_GROUPS)
    for query in ("groupe=%00", "groupe=region-", "groupe=" + "x" * 5000, "groupe=categorie-A&groupe=region-53"):
        assert curator_client.get(results_url(campaign, query)).status_code == 200
    compare = reverse("surveys:compare", args=[campaign.pk])
    for query in ("avec=abc", "avec=-1", "avec=99999999999999999999"):
        assert curator_client.get(f"{compare}?{query}").status_code == 200
    response = curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": "abc"})
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.results_published_at is None


def test_the_journal_tells_what_the_team_did(curator_client):
    from core.audit_sentences import audit_sentence, team_entries

    campaign = closed_campaign_with(STANDARD_GROUPS, title="Enquête du journal")
    curator_client.post(publish_url(campaign), {"public_summary": "Bilan", "lock_version": 0})
    curator_client.post(publish_url(campaign), {"public_summary": "Bilan revu", "lock_version": 1})
    curator_client.post(reverse("surveys:results_unpublish", args=[campaign.pk]))
    sentences = [audit_sentence(entry) for entry in team_entries("surveys")]
    assert any("a publié les résultats de la campagne « Enquête du journal »" in s for s in sentences)
    assert any("a modifié la synthèse publique" in s for s in sentences)
    assert any("a retiré la page publique des résultats" in s for s in sentences)


def test_malformed_answers_are_ignored(db):
    campaign = make_campaign(open_now=False)
    for answers in (
        ["pas", "un", "dict"],
        {"ia": ["oui"], "temps": {"animer": 90}, "seances": "beaucoup", "satisfaction": {"x": 1}},
        {"ia-usages": "synthese", "temps": {"inconnu": 100}, "seances": True, "outil": 12},
        {"ia": "peut-etre", "ia-usages": ["synthese", "synthese"], "seances": "1e400"},
        {"ia": "oui", "seances": "NaN"},
        {"ia": "oui", "seances": "12.5", "temps": {"animer": 100}},
    ):
        Response.objects.create(campaign=campaign, answers=answers, region_code="53", category="A")
    results = CampaignFigures(campaign).results()
    assert results.respondents.value == 6
    assert _question(results, "ia").answered.state == "small"  # 3 readable answers: "peut-etre" as another value
    assert [row.code for row in _question(results, "ia").table.rows][-1] == "__autre__"


# --- An anonymous campaign still open shows no figures ------------------------------------------------


def test_an_open_anonymous_campaign_shows_its_figures_only_once_closed(curator_client):
    """Read before and after one member sends, the figures would differ by that member's answers alone."""
    campaign = make_campaign(open_now=True, anonymous=True)
    for _number in range(7):
        make_response(campaign, {"ia": "oui", "outil": "Framapad"})
    page = curator_client.get(results_url(campaign))
    text = main_text(page)
    assert page.status_code == 200
    assert "s'affichent une fois la campagne close" in text
    assert "7 réponses envoyées à ce jour" in text
    assert "Framapad" not in text and "Choix unique" not in text
    for name in ("surveys:results_csv", "surveys:results_xlsx"):
        refused = curator_client.get(reverse(name, args=[campaign.pk]))
        assert refused.status_code == 302
    refused = curator_client.post(reverse("surveys:results_report", args=[campaign.pk]))
    assert refused.status_code == 302 and not PdfExport.objects.exists()
    assert curator_client.get(reverse("surveys:compare", args=[campaign.pk])).status_code == 302
    # Another campaign of the questionnaire cannot put it beside itself either.
    closed = make_campaign(campaign.questionnaire, open_now=False, title="Enquête 2025")
    compare = curator_client.get(reverse("surveys:compare", args=[closed.pk]))
    assert campaign.title not in main_text(compare)
    # Closed, the same campaign shows its figures.
    campaign.status = CampaignStatus.CLOSED
    campaign.save()
    assert "Framapad" in main_text(curator_client.get(results_url(campaign)))


def test_an_open_attributed_campaign_shows_its_moving_figures(curator_client):
    campaign = make_campaign(open_now=True, anonymous=False)
    for _number in range(6):
        make_response(campaign, {"ia": "oui"})
    text = main_text(curator_client.get(results_url(campaign)))
    assert "les chiffres bougent encore" in text and "s'affichent une fois la campagne close" not in text
