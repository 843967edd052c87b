"""The register of processing and the privacy page's "Les données que nous gardons": both drawn from the declarations.

Access (anonymous → login, member → 403, curator → 200, CSV included) is in the authorization matrix
(tests/core/test_authorization_matrix.py, row `processing_register`).
"""

import csv
import io

import pytest
from django.urls import reverse

from core import personal_data
from core.models import AuditEntry, PdfExport
from core.personal_data import PersonalDataKind, personal_data_kinds, personal_data_register
from core.register_views import processings
from fiches.models import Notification
from fiches.notifications import notifications_prune
from tests.html import main_text, select, select_one, text_of

pytestmark = pytest.mark.django_db

URL = "/registre-des-traitements/"


def declared_kind(key: str, *, models=(PdfExport,), order: int = 100, export=None, **texts) -> PersonalDataKind:
    values = {
        "label": f"Libellé {key}",
        "description": f"Description {key}",
        "source": f"Source {key}",
        "purpose": f"Finalité {key}",
        "legal_basis": f"Base légale {key}",
        "retention": f"Conservation {key}",
        "recipients": f"Destinataires {key}",
        **texts,
    }
    return PersonalDataKind(
        key=key,
        models=tuple(models),
        order=order,
        export=export or (lambda user: []),
        erase=lambda user: None,
        **values,
    )


@pytest.fixture
def registry(monkeypatch):
    """The registry as the test declares it, alone: the real declarations come back afterwards."""
    monkeypatch.setattr(personal_data, "_KINDS", {})
    return personal_data_register


@pytest.fixture
def added_kind(monkeypatch):
    """One kind declared by the test on top of the real declarations, removed afterwards."""
    monkeypatch.setattr(personal_data, "_KINDS", dict(personal_data._KINDS))
    kind = declared_kind("test-registre", label="Carnet de bord de test", retention="Sept jours exactement")
    personal_data_register(kind)
    return kind


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


# --- Grouping ------------------------------------------------------------------------------------


def test_kinds_are_grouped_by_the_app_that_keeps_them_in_the_registry_order():
    audit = declared_kind("audit", models=(AuditEntry,), order=10)
    notifications = declared_kind("notifications", models=(Notification,), order=20)
    exports = declared_kind("exports", models=(PdfExport,), order=30)
    orphan = declared_kind("orphan", models=(), order=40)

    groups = processings([audit, notifications, exports, orphan])

    assert [(group.name, [kind.key for kind in group.kinds]) for group in groups] == [
        ("Plateforme", ["audit", "exports"]),
        ("Fiches de poste", ["notifications"]),
        ("Autres données", ["orphan"]),
    ]


def test_a_kind_belongs_to_the_app_that_declares_it_before_the_app_of_its_models():
    # Declared (its export function written) in fiches, about a model of core: a processing of fiches.
    declared_in_fiches = declared_kind("ailleurs", models=(AuditEntry,), export=notifications_prune)

    assert [group.name for group in processings([declared_in_fiches])] == ["Fiches de poste"]


# --- The register page ---------------------------------------------------------------------------


def test_the_register_shows_every_declared_field_of_each_kind_in_its_processing(registry, curator_client):
    registry(declared_kind("b-notifications", models=(Notification,), order=2))
    registry(declared_kind("a-audit", models=(AuditEntry,), order=1))

    response = curator_client.get(URL)

    assert response.status_code == 200
    tables = select(response, "main table")
    assert [text_of(select_one(table, "caption")) for table in tables] == ["Plateforme", "Fiches de poste"]
    for table, key in zip(tables, ["a-audit", "b-notifications"], strict=True):
        headers = [text_of(th) for th in select(table, "thead th[scope=col]")]
        assert headers == [
            "Catégorie de données",
            "Finalité",
            "Base légale",
            "Durée de conservation",
            "Destinataires",
            "Source",
        ]
        (row,) = select(table, "tbody tr")
        assert text_of(select_one(row, "th[scope=row]")) == f"Libellé {key} Description {key}"
        assert [text_of(td) for td in select(row, "td")] == [
            f"Finalité {key}",
            f"Base légale {key}",
            f"Conservation {key}",
            f"Destinataires {key}",
            f"Source {key}",
        ]


def test_the_register_names_the_controller_and_links_to_its_csv(registry, curator_client):
    response = curator_client.get(URL)

    text = main_text(response)
    assert "Registre des activités de traitement" in text
    assert "Coordination nationale des conseils de développement (CNCD)" in text
    assert "association régie par la loi du 1er juillet 1901" in text
    assert "Aucun : la plateforme et ses données sont hébergées en France" in text
    assert select_one(response, f'main a[href="{URL}?export=csv"]') is not None
    # Nothing declared: the page says so rather than showing empty tables.
    assert select(response, "main table") == []
    assert "Aucune donnée personnelle n'est déclarée pour l'instant." in text


def test_the_csv_has_one_row_per_kind_with_the_register_columns(registry, curator_client):
    registry(declared_kind("audit", models=(AuditEntry, PdfExport), order=1))
    # A declaration's text goes to a spreadsheet: one that looks like a formula is neutralised.
    registry(declared_kind("notifications", models=(Notification,), order=2, source='=HYPERLINK("x")'))

    response = curator_client.get(URL, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registre-des-traitements-')
    assert response.content.startswith("\ufeff".encode())
    header, *rows = csv_rows(response)
    assert header == [
        "Responsable du traitement",
        "Traitement",
        "Catégorie de données",
        "Description",
        "Source",
        "Finalité",
        "Base légale",
        "Durée de conservation",
        "Destinataires",
        "Modèles",
    ]
    controller = "Coordination nationale des conseils de développement (CNCD)"
    assert rows == [
        [
            controller,
            "Plateforme",
            "Libellé audit",
            "Description audit",
            "Source audit",
            "Finalité audit",
            "Base légale audit",
            "Conservation audit",
            "Destinataires audit",
            "core.AuditEntry, core.PdfExport",
        ],
        [
            controller,
            "Fiches de poste",
            "Libellé notifications",
            "Description notifications",
            '\'=HYPERLINK("x")',
            "Finalité notifications",
            "Base légale notifications",
            "Conservation notifications",
            "Destinataires notifications",
            "fiches.Notification",
        ],
    ]


def test_the_team_menu_leads_to_the_register(curator_client):
    assert f'href="{URL}"' in curator_client.get("/").content.decode()


def test_members_do_not_see_the_register_in_their_menu(member_client):
    assert f'href="{URL}"' not in member_client.get("/").content.decode()


# --- The privacy page ----------------------------------------------------------------------------


def test_the_privacy_page_lists_each_declared_kind_with_what_why_how_long_and_who(registry, client):
    registry(declared_kind("second", order=2))
    registry(declared_kind("first", order=1))

    response = client.get(reverse("privacy"))

    section = main_text(response).split("Les données que nous gardons", 1)[1].split("Qui peut voir vos données")[0]
    assert section.index("Libellé first") < section.index("Libellé second")
    for key in ("first", "second"):
        assert (
            f"Libellé {key} Description {key} Pourquoi Finalité {key} Combien de temps Conservation {key} "
            f"Qui peut la voir Destinataires {key} D'où elle vient Source {key}"
        ) in section
    headings = [text_of(h3) for h3 in select(response, "main h3")]
    assert headings[:2] == ["Libellé first", "Libellé second"]


def test_the_hand_written_list_of_data_is_gone_from_the_privacy_page(registry, client):
    text = main_text(client.get(reverse("privacy")))

    assert "Données traitées" not in text
    assert "Aucune donnée personnelle n'est déclarée pour l'instant." in text
    assert "Bases légales" in text and "Vos droits" in text  # the rest of the policy stays


def test_a_kind_declared_in_the_test_appears_on_both_the_register_and_the_privacy_page(
    added_kind, client, curator_client
):
    register = main_text(curator_client.get(URL))
    privacy = main_text(client.get(reverse("privacy")))
    exported = [row[2] for row in csv_rows(curator_client.get(URL, {"export": "csv"}))]

    for text in (register, privacy):
        assert "Carnet de bord de test" in text
        assert "Sept jours exactement" in text
    assert "Carnet de bord de test" in exported


def test_every_real_declaration_appears_on_both_pages(client, curator_client):
    kinds = personal_data_kinds()

    register = curator_client.get(URL)
    privacy = client.get(reverse("privacy"))
    exported = csv_rows(curator_client.get(URL, {"export": "csv"}))[1:]

    assert len(select(register, "main tbody tr")) == len(kinds)
    assert len(exported) == len(kinds)
    privacy_headings = [text_of(h3) for h3 in select(privacy, "main h3")]
    for kind in kinds:
        assert str(kind.label) in privacy_headings
        assert str(kind.retention) in main_text(privacy)
        assert str(kind.retention) in main_text(register)
