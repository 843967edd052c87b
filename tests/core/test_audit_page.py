import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import audit_log
from core.models import AuditEntry
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/journal/"


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def write_entries(count: int, *, action: str = "members.user.approved", actor=None) -> list[AuditEntry]:
    actor = actor or UserFactory(curator=True)
    return [audit_log(actor=actor, action=action, target=actor, data={"numéro": n}) for n in range(count)]


def age(entry: AuditEntry, *, days: int) -> None:
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(days=days))


def rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_navigation_shows_the_journal_to_administrators_only(client, curator, administrator):
    client.force_login(curator)
    assert 'href="/journal/"' not in client.get("/").text
    client.force_login(administrator)
    page = client.get("/").text
    assert 'href="/journal/"' in page
    assert "audit</a>" in page


def test_entries_are_listed_newest_first_with_their_author(admin_client):
    author = UserFactory(curator=True, email="equipe.cncd@example.org")
    old = audit_log(actor=author, action="members.user.refused", target=author, data={"motif": "doublon"})
    age(old, days=3)
    audit_log(actor=author, action="competences.framework.published", data={"version": "2"})

    response = admin_client.get(URL)

    page = response.text
    assert "2 entrées" in page
    assert page.index("competences.framework.published") < page.index("members.user.refused")
    assert "equipe.cncd@example.org" in page
    assert "doublon" in page
    assert "<caption>" in page
    assert '<th scope="col">Auteur·rice</th>' in page


def test_filters_by_action_family_exact_action_author_and_dates(admin_client):
    alice, bob = (
        UserFactory(curator=True, email="alice@example.org"),
        UserFactory(curator=True, email="bob@example.org"),
    )
    approved = audit_log(actor=alice, action="members.user.approved", target=alice)
    refused = audit_log(actor=bob, action="members.user.refused", target=bob)
    published = audit_log(actor=alice, action="competences.framework.published")
    age(refused, days=10)

    def listed(**filters):
        page = admin_client.get(URL, filters).context["page"]
        return {entry.pk for entry in page.object_list}

    assert listed(action="members.*") == {approved.pk, refused.pk}
    assert listed(action="members.user.*") == {approved.pk, refused.pk}
    assert listed(action="competences.framework.published") == {published.pk}
    assert listed(actor="BOB@") == {refused.pk}
    ten_days_ago = (timezone.localdate() - timedelta(days=10)).isoformat()
    assert listed(date_to=ten_days_ago) == {refused.pk}
    assert listed(date_from=timezone.localdate().isoformat(), actor="alice") == {approved.pk, published.pk}


def test_the_action_select_offers_families_and_exact_actions(admin_client):
    write_entries(1, action="fiches.suggestion.accepted")
    page = admin_client.get(URL).text
    assert '<option value="fiches.*">fiches (toutes)</option>' in page
    assert '<option value="fiches.suggestion.*">fiches.suggestion (toutes)</option>' in page
    assert '<option value="fiches.suggestion.accepted">fiches.suggestion.accepted</option>' in page


def test_a_start_date_after_the_end_date_is_explained_in_french(admin_client):
    write_entries(2)
    dates = {"date_from": "2026-05-10", "date_to": "2026-05-01"}
    for headers in ({}, {"HX-Request": "true"}):
        response = admin_client.get(URL, dates, headers=headers)
        assert "La date de début doit précéder la date de fin." in response.text
        assert "Corrigez les filtres" in response.text
        assert "0 entrée" in response.text


def test_results_are_paginated_by_fifty_keeping_the_filters(admin_client):
    write_entries(55, action="members.user.approved")
    write_entries(3, action="competences.framework.published")

    first = admin_client.get(URL, {"action": "members.*"})
    assert len(first.context["page"].object_list) == 50
    assert "55 entrées" in first.text
    assert "Page 1 sur 2" in first.text
    assert "?action=members.%2A&amp;page=2" in first.text

    second = admin_client.get(URL, {"action": "members.*", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_htmx_requests_get_only_the_results(admin_client):
    write_entries(2)
    response = admin_client.get(URL, {"actor": "technicien"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="audit-results"')
    assert "<html" not in response.text
    assert "<form" not in response.text


def test_the_number_of_queries_does_not_grow_with_the_entries(admin_client):
    def queries_for_the_page(expected_entries: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(URL)
        assert len(response.context["page"].object_list) == expected_entries
        return len(queries)

    for n in range(5):
        write_entries(1, actor=UserFactory(curator=True, email=f"auteur{n}@example.org"))
    admin_client.get(URL)  # the session and the user are loaded the same way afterwards
    with_five = queries_for_the_page(5)
    for n in range(5, 40):
        write_entries(1, actor=UserFactory(curator=True, email=f"auteur{n}@example.org"))

    assert queries_for_the_page(40) == with_five


def test_csv_export_holds_the_filtered_entries_with_formulas_neutralised(admin_client):
    author = UserFactory(curator=True, email="curatrice@example.org")
    audit_log(actor=author, action="members.user.refused", target=author, data={"motif": '=HYPERLINK("x")'})
    audit_log(actor=author, action="competences.framework.published")
    author.first_name, author.last_name = "@Dupont", "+Durand"
    author.save()
    audit_log(actor=author, action="members.user.approved", target=author)

    response = admin_client.get(URL, {"action": "members.*", "export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="journal-audit-')
    header, *lines = rows(response)
    assert header == ["Date", "Action", "Auteur·rice", "Type d'objet", "Identifiant", "Objet", "Détails"]
    assert [line[1] for line in lines] == ["members.user.approved", "members.user.refused"]
    assert lines[0][5] == "'@Dupont +Durand"
    assert lines[1][6] == '{"motif": "=HYPERLINK(\\"x\\")"}'
    assert all(line[2] == "curatrice@example.org" for line in lines)


def test_csv_cells_starting_with_a_formula_sign_are_prefixed(admin_client):
    author = UserFactory(curator=True, email="equipe@example.org")
    for name in ["=1+1", "+33 6", "-2", "@SUM(A1)"]:
        author.first_name, author.last_name = name, ""
        author.save()
        audit_log(actor=author, action="members.user.approved", target=author)
    _, *lines = rows(admin_client.get(URL, {"export": "csv"}))
    assert sorted(line[5] for line in lines) == sorted(["'=1+1", "'+33 6", "'-2", "'@SUM(A1)"])
