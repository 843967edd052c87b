import pytest

from fiches import services
from fiches.enums import SectionKind
from fiches.models import Fiche
from fiches.rendering import StructuredError, StructuredLine, parse_structured
from referentiel import demo as competences_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def referentiel(db):
    competences_demo.seed()


def _section(kind, body):
    fiche, _created = Fiche.objects.get_or_create(slug="fiche-commune", defaults={"title": "Fiche"})
    return services.section_create(fiche=fiche, key=kind, title=kind, kind=kind, body=body, order=1)


def test_missions_section_stores_stable_codes_with_their_titles(referentiel):
    section = _section(SectionKind.MISSIONS, "M1\nM1.A2\n  M1.A2  \n- M3.A1 texte libre ignoré")
    body = section.current_revision.body
    assert body.splitlines() == [
        "M1 — Animer les travaux du CoDev",
        "M1.A2 — Animer les réunions avec des techniques participatives",
        "M3.A1 — Concevoir le plan de communication du conseil",
    ]
    html = section.current_revision.body_html
    assert "Animer les travaux du CoDev" in html and "Valoriser les travaux" in html  # M3 shown through its activity


def test_competences_section_needs_a_known_code_and_level(referentiel, curator):
    section = _section(SectionKind.COMPETENCES, "C-ANI-01 3\nC-TRA-01 : niveau 2")
    assert section.current_revision.body.splitlines() == [
        "C-ANI-01 : niveau 3 — Concevoir des séances participatives (Maîtrise)",
        "C-TRA-01 : niveau 2 — Conduire un projet (Application)",
    ]
    assert "<table" in section.current_revision.body_html and "<caption" in section.current_revision.body_html
    with pytest.raises(services.FicheError, match=r"Codes inconnus dans le référentiel v1\.0 : C-XXX-99"):
        services.section_edit(
            section_id=section.pk,
            base_revision_id=section.current_revision_id,
            body="C-XXX-99 3",
            summary="",
            actor=curator,
        )
    with pytest.raises(services.FicheError, match="niveau attendu"):
        services.section_edit(
            section_id=section.pk,
            base_revision_id=section.current_revision_id,
            body="C-ANI-02",
            summary="",
            actor=curator,
        )


def test_structured_sections_refuse_text_without_a_published_referentiel(db):
    with pytest.raises(services.FicheError, match="Aucun référentiel n'est publié"):
        _section(SectionKind.MISSIONS, "M1")


def test_the_editor_of_a_structured_section_lists_the_codes(referentiel, member_client):
    section = _section(SectionKind.COMPETENCES, "C-ANI-01 3")
    page = member_client.get(f"/fiches/fiche-commune/sections/{section.pk}/proposer/").content.decode()
    assert "Codes du référentiel publié (v1.0)" in page
    assert "C-VAL-02</span> Élaborer un plan de communication" in page
    response = member_client.post(
        f"/fiches/fiche-commune/sections/{section.pk}/proposer/", {"body": "C-ANI-01 9", "rationale": "Plus haut"}
    )
    assert "Indiquez pour C-ANI-01 un niveau attendu parmi : 1, 2, 3, 4." in response.content.decode()


def test_parse_structured_reads_the_code_and_level_of_every_line():
    text = (
        "C-ANI-01 : niveau 3 — Concevoir des séances participatives (Maîtrise)\n\n"
        "- C-TRA-01 2\n"
        "M1 — Animer les travaux du CoDev\n"
        "  * M1.A2  "
    )
    assert parse_structured(text) == [
        StructuredLine("C-ANI-01", 3),
        StructuredLine("C-TRA-01", 2),
        StructuredLine("M1", None),
        StructuredLine("M1.A2", None),
    ]


def test_parse_structured_refuses_an_illegible_line_or_skips_it_when_reading_stored_text():
    text = "C-ANI-01 : niveau 3\n— une note sans code\nC-TRA-01 : niveau 2"
    with pytest.raises(StructuredError, match="Ligne illisible : « — une note sans code »"):
        parse_structured(text)
    assert parse_structured(text, strict=False) == [StructuredLine("C-ANI-01", 3), StructuredLine("C-TRA-01", 2)]
