"""The team's journal of the vitrine (its own actions only), theme changes reaching the cached library and figures
at once, and the vitrine's home links, through the HTTP layer."""

import pytest
from django.urls import reverse

from core.audit_sentences import audit_sentence
from core.models import AuditEntry
from showcase import works
from tests.html import main_text
from tests.showcase.factories import ThemeFactory
from tests.showcase.works_helpers import published_work, technician_of, work_data

pytestmark = pytest.mark.django_db


def test_the_team_journal_shows_the_team_actions_not_the_technicians_edits(client, curator):
    theme = ThemeFactory(name="Mobilité")
    work = published_work(title="Avis sur les navettes rurales", themes=[theme])
    author = technician_of(work.page)
    works.work_update(
        user=author, work_id=work.pk, data=work_data(title="Avis sur les navettes"), links=[], lock_version=None
    )
    client.force_login(curator)
    client.post(reverse("showcase:work_moderate", args=[work.pk]), {"reason": "Doublon d'un autre avis"})
    client.post(reverse("showcase:theme_edit", args=[theme.pk]), {"name": "Mobilités", "position": "3"})
    journal = main_text(client.get(reverse("team_journal")))
    assert "a masqué le travail « Avis sur les navettes »" in journal
    assert "a modifié le thème « Mobilités »" in journal
    assert "a publié le travail" not in journal and "a modifié le travail" not in journal
    # Every action keeps its sentence in the audit log.
    for action in ("showcase.work.created", "showcase.work.updated", "showcase.work.published"):
        entry = AuditEntry.objects.filter(action=action).first()
        assert entry is not None and "travail" in str(audit_sentence(entry))


def test_a_renamed_theme_shows_at_once_in_the_cached_library_figures_and_search(client, curator):
    theme = ThemeFactory(name="Mobilité")
    published_work(title="Avis sur les navettes rurales", themes=[theme])
    library, figures = reverse("showcase:works"), reverse("showcase:figures")
    assert "Mobilité" in main_text(client.get(library))
    assert "Mobilité" in main_text(client.get(figures))
    client.force_login(curator)
    client.post(reverse("showcase:theme_edit", args=[theme.pk]), {"name": "Déplacements", "position": "3"})
    client.logout()
    assert "Déplacements" in main_text(client.get(library))
    assert "Déplacements" in main_text(client.get(figures))
    found = main_text(client.get(library, {"q": "déplacements"}))
    assert "Avis sur les navettes rurales" in found


def test_the_vitrine_home_links_the_figures_and_the_feed(client):
    response = client.get(reverse("showcase:home"))
    html = response.content.decode()
    assert f'href="{reverse("showcase:figures")}"' in html
    assert html.count(f'href="{reverse("showcase:works_feed")}"') == 2  # <link rel="alternate"> and a visible link


def test_the_next_page_of_a_search_reuses_its_facets(client, django_assert_max_num_queries):
    for index in range(25):
        published_work(title=f"Avis numéro {index} sur la mobilité")
    url = reverse("showcase:works")
    first = client.get(url, {"q": "mobilité"})
    assert "25 travaux trouvés" in main_text(first)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"q": "mobilité", "page": "2"})
    assert "Avis numéro" in main_text(second) and "25 travaux trouvés" in main_text(second)
    works_read = [query["sql"] for query in queries if "showcase_work" in query["sql"] and "COUNT(" in query["sql"]]
    assert works_read == []  # no facet count again: only the page of works and its themes are read
