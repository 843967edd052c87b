"""Frameworks of any depth: the domain tree, related competences and external links, on every surface."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from competences.enums import FrameworkStatus
from competences.models import Alignment, Competence, Domain
from referentiel.diff import framework_diff
from referentiel.framework import (
    MAX_DOMAIN_DEPTH,
    AlignmentData,
    DomainData,
    framework_check,
    framework_snapshot,
)
from referentiel.services import draft_create_from
from tests.html import main_text, select, select_one, text_of
from tests.referentiel.factories import LONG_TITLE, build_version, rich_data, small_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def deep():
    return build_version(rich_data("v1.0"))


def test_a_five_level_tree_is_stored_and_read_back_whole(deep):
    data = rich_data("v1.0")
    assert framework_snapshot(deep).comparable() == data.comparable()
    parent = Domain.objects.get(version=deep, code="D-1.1.1.1.1").parent
    assert parent.code == "D-1.1.1.1" and parent.parent.code == "D-1.1.1"
    c1 = Competence.objects.get(version=deep, code="C-1")
    assert sorted(c.code for c in c1.related.all()) == ["C-2", "C-4"]
    # Symmetric: C-2 lists C-1 without the file naming it twice.
    assert [c.code for c in Competence.objects.get(version=deep, code="C-2").related.all()] == ["C-1"]
    assert {(a.scheme, a.relation) for a in c1.alignments.all()} == {("esco", "exact"), ("rome", "close")}


def test_a_draft_copy_keeps_tree_links_and_alignments(deep, curator):
    draft = draft_create_from(source=deep, label="v2.0", actor=curator)
    assert framework_snapshot(draft).comparable() == framework_snapshot(deep).comparable()
    assert framework_snapshot(draft).based_on_codes["D-1.1.1.1.1"] == "domain"


def test_the_competences_page_nests_domains_with_headings_in_order(client, deep):
    response = client.get(reverse("referentiel:version_competences", args=[deep.label]))
    assert response.status_code == 200
    headings = {
        element.get("id"): element.tag
        for element in select(response, "main [id^=domain-]")
        if element.tag.startswith("h")
    }
    assert headings["domain-D-1"] == "h2"
    assert headings["domain-D-1.1"] == "h3"
    assert headings["domain-D-1.1.1"] == "h4"
    assert headings["domain-D-1.1.1.1"] == "h5"
    # Headings stop at h6: the fifth level keeps h5, its competences h6.
    assert headings["domain-D-1.1.1.1.1"] == "h5"
    text = main_text(response)
    assert text.index("Mobiliser les publics éloignés") < text.index(LONG_TITLE) < text.index("Animer")
    # One line per competence, linking to its own page, where its external links are.
    first = select(response, "main .ref-competence a")[0]
    assert first.get("href") == reverse("referentiel:competence", args=[deep.label, "C-1"])
    assert "Correspond à ESCO" not in text
    assert "Correspond à ESCO" in main_text(client.get(first.get("href")))


def test_the_competences_page_reads_a_constant_number_of_queries_whatever_the_depth(client):
    shallow = build_version(small_data("v1.0", domains=1, competences=1), status=FrameworkStatus.ARCHIVED)
    build_version(rich_data("v2.0"))
    counts = []
    for label in (shallow.label, "v2.0"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("referentiel:version_competences", args=[label])).status_code == 200
        counts.append(len([q for q in queries.captured_queries if "codev_network_cache" not in q["sql"]]))
    assert counts[0] == counts[1]


def test_domain_and_competence_pages_show_the_path_sub_domains_links_and_alignments(client, deep):
    response = client.get(reverse("referentiel:domain", args=[deep.label, "D-1.1"]))
    crumbs = [text_of(li) for li in select(response, "nav .breadcrumb li")]
    assert crumbs[-2:] == ["Piloter la participation", "D-1.1"]
    assert "Sous-domaines" in main_text(response) and "D-1.1.1 Mobiliser les publics" in main_text(response)

    response = client.get(reverse("referentiel:competence", args=[deep.label, "C-2"]))
    crumbs = [text_of(li) for li in select(response, "nav .breadcrumb li")]
    assert crumbs[2:] == [
        "Piloter la participation",
        "Mobiliser",
        "Mobiliser les publics",
        "Mobiliser les publics éloignés",
        LONG_TITLE,
        "C-2",
    ]
    text = main_text(response)
    assert "Compétences liées" in text and "C-1 Conduire une concertation" in text
    assert "Correspond à RNCP (bloc de compétences)" in text
    link = select_one(response, "main .ref-alignments a")
    assert link.get("href") == "https://www.francecompetences.fr/recherche/rncp/35000/"


@pytest.mark.parametrize(
    ("domains", "message"),
    [
        ([DomainData("D-1", "Un", parent="D-1")], "un domaine ne peut pas être son propre parent"),
        ([DomainData("D-1", "Un", parent="D-9")], "le domaine parent « D-9 » n'existe pas"),
        (
            [DomainData("D-1", "Un", parent="D-2"), DomainData("D-2", "Deux", parent="D-1")],
            "les domaines parents forment une boucle",
        ),
        (
            [DomainData("D-0", "Zéro")]
            + [DomainData(f"D-{n}", f"Niveau {n}", parent=f"D-{n - 1}") for n in range(1, MAX_DOMAIN_DEPTH + 1)],
            f"l'arborescence dépasse {MAX_DOMAIN_DEPTH} niveaux de domaines",
        ),
    ],
)
def test_a_broken_tree_is_refused_with_a_clear_message(domains, message):
    data = small_data()
    data.domains += domains
    assert any(message in str(problem) for problem in framework_check(data))


def test_bad_links_and_alignments_are_refused_in_the_file_s_own_words():
    data = small_data()
    data.field_names = {"competences": "relatedidnumbers", "code": "ID number"}
    data.competences[0].related = ["C-1-01", "C-9-99"]
    data.competences[1].alignments = [
        AlignmentData("same", "esco", "javascript:alert(1)"),
        AlignmentData("exact", "rome"),
    ]
    messages = [str(problem) for problem in framework_check(data)]
    assert any("une compétence ne peut pas être liée à elle-même" in m and "relatedidnumbers" in m for m in messages)
    assert any("la compétence liée « C-9-99 » n'existe pas" in m for m in messages)
    assert any("relation inconnue « same »" in m for m in messages)
    assert any("n'est pas une URL http(s) valide" in m for m in messages)
    assert any("besoin d'une adresse (URI) ou d'un code" in m for m in messages)


@pytest.fixture
def draft():
    build_version(small_data("v1.0"))
    return build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)


def test_curator_adds_a_sub_domain_and_the_draft_page_nests_it(curator_client, draft):
    add = reverse("referentiel:item_add", args=[draft.label, "domaines"])
    form = curator_client.get(add + "?parent=D-1")
    selected = select_one(form, "select[name=parent] option[selected]")
    assert selected.get("value") == str(Domain.objects.get(version=draft, code="D-1").pk)
    response = curator_client.post(
        add,
        {"code": "D-1.1", "parent": selected.get("value"), "title": "Sous-domaine", "description": "", "replaces": ""},
    )
    assert response.status_code == 302
    child = Domain.objects.get(version=draft, code="D-1.1")
    assert child.parent.code == "D-1"
    page = curator_client.get(reverse("referentiel:draft_edit", args=[draft.label]))
    card = select_one(page, "#item-D-1\\.1")
    assert "ref-depth-1" in card.get("class")
    assert select_one(card, "h4").tag == "h4"


def test_a_domain_cannot_move_under_itself_or_its_sub_domain(curator_client, draft):
    top = Domain.objects.get(version=draft, code="D-1")
    child = Domain.objects.create(version=draft, parent=top, code="D-1.1", title="Sous-domaine", order=1)
    url = reverse("referentiel:item_edit", args=[draft.label, "domaines", "D-1"])
    page = curator_client.get(url)
    offered = {option.get("value") for option in select(page, "select[name=parent] option")}
    assert str(child.pk) not in offered and str(top.pk) not in offered
    token = select_one(page, "input[name=lock_version]").get("value")
    response = curator_client.post(
        url,
        {
            "code": "D-1",
            "parent": child.pk,
            "title": "Domaine 1",
            "description": "",
            "replaces": "",
            "lock_version": token,
            "item": top.pk,
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in main_text(response)
    top.refresh_from_db()
    assert top.parent is None


def test_a_domain_with_sub_domains_cannot_be_deleted(curator_client, draft):
    top = Domain.objects.get(version=draft, code="D-2")
    Competence.objects.filter(version=draft, domain=top).delete()
    Domain.objects.create(version=draft, parent=top, code="D-2.1", title="Sous-domaine", order=1)
    response = curator_client.post(reverse("referentiel:item_delete", args=[draft.label, "domaines", "D-2"]))
    assert "contient encore des sous-domaines" in main_text(response)
    assert Domain.objects.filter(version=draft, code="D-2").exists()


def _competence_form(curator_client, draft, code):
    url = reverse("referentiel:item_edit", args=[draft.label, "competences", code])
    page = curator_client.get(url)
    competence = Competence.objects.get(version=draft, code=code)
    payload = {
        "code": code,
        "domain": competence.domain_id,
        "title": competence.title,
        "description": competence.description,
        "kind": competence.kind,
        "replaces": "",
        "lock_version": select_one(page, "input[name=lock_version]").get("value"),
        "item": competence.pk,
        "correspondances-TOTAL_FORMS": "2",
        "correspondances-INITIAL_FORMS": "0",
        "correspondances-MIN_NUM_FORMS": "0",
        "correspondances-MAX_NUM_FORMS": "20",
        # The browser sends the second, empty link with its default relation.
        "correspondances-1-relation": "exact",
    }
    return url, page, payload


def test_curator_links_related_competences_and_external_entries(curator_client, draft):
    url, page, payload = _competence_form(curator_client, draft, "C-1-01")
    assert select(page, "input[name=related]"), "the related competences are offered"
    assert select(page, "label[for=id_correspondances-0-uri]")
    other = Competence.objects.get(version=draft, code="C-2-02")
    payload |= {
        "related": [other.pk],
        "correspondances-0-relation": "exact",
        "correspondances-0-scheme": "rome",
        "correspondances-0-code": "K1802",
        "correspondances-0-uri": "",
        "correspondances-0-title": "Développement local",
    }
    response = curator_client.post(url, payload)
    assert response.status_code == 302, main_text(response)[:2000]
    competence = Competence.objects.get(version=draft, code="C-1-01")
    assert [c.code for c in competence.related.all()] == ["C-2-02"]
    assert [c.code for c in other.related.all()] == ["C-1-01"]
    assert list(competence.alignments.values_list("scheme", "code")) == [("rome", "K1802")]
    public = curator_client.get(reverse("referentiel:competence", args=[draft.label, "C-1-01"]))
    assert "Correspond à ROME 4.0 (France Travail) K1802 Développement local" in main_text(public)


def test_an_external_link_without_address_or_code_is_refused_and_the_input_kept(curator_client, draft):
    url, _page, payload = _competence_form(curator_client, draft, "C-1-01")
    payload |= {
        "title": "Titre retouché",
        "correspondances-0-relation": "close",
        "correspondances-0-scheme": "esco",
        "correspondances-0-code": "",
        "correspondances-0-uri": "",
        "correspondances-0-title": "animer des réunions",
    }
    response = curator_client.post(url, payload)
    assert response.status_code == 200
    assert "Indiquez une adresse (URI) ou un code pour cette correspondance." in main_text(response)
    assert select_one(response, "input[name=title]").get("value") == "Titre retouché"
    assert select_one(response, "input[name=correspondances-0-title]").get("value") == "animer des réunions"
    assert not Alignment.objects.exists()
    assert Competence.objects.get(version=draft, code="C-1-01").title != "Titre retouché"


def test_the_diff_names_a_moved_domain_new_links_and_changed_alignments():
    old, new = rich_data("v1.0"), rich_data("v2.0")
    new.domains[2].parent = "D-1.2"  # D-1.1.1 moves under D-1.2
    new.competences[2].related = ["C-5"]
    new.competences[4].related = ["C-3"]
    new.competences[0].alignments = new.competences[0].alignments[:1]
    new.scale[1].proficient = True
    diff = framework_diff(old, new)
    changes = {(c.kind, c.code): {f.name: f for f in c.fields} for c in diff.changed}
    moved = changes[("domain", "D-1.1.1")]["parent"]
    assert (moved.old, moved.new) == ("D-1.1", "D-1.2")
    assert changes[("competence", "C-3")]["related"].added == ["C-5"]
    assert "K1802" in changes[("competence", "C-1")]["alignments"].old
    assert "K1802" not in changes[("competence", "C-1")]["alignments"].new
    assert (changes[("level", "2")]["proficient"].old, changes[("level", "2")]["proficient"].new) == ("non", "oui")


def test_the_pdf_prints_every_level_of_the_tree_and_the_alignments(client, deep):
    response = client.get(reverse("referentiel:version_pdf", args=[deep.label]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    for title in ("Mobiliser les publics éloignés", "Mobiliser les publics", "Domaine encore vide"):
        assert title in text
    assert "correspond à ESCO" in text
