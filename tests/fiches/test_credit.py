"""Contributors are named as each chose (full name, initials, not named) on the fiche's pages and in its PDFs."""

from unittest import mock

import pytest
from django.urls import reverse

from core import pdf as renderer
from fiches import services
from fiches.models import COMMON_FICHE_SLUG
from members.enums import Credit
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on, version_published
from tests.html import main_text, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.pdf.conftest import Pdf
from tests.two_tabs import open_form

pytestmark = pytest.mark.django_db

PDF_URL = reverse("fiches:version_pdf", args=[COMMON_FICHE_SLUG, "v1.0"])
# What others read for Claire Martin under each choice; None: nothing of her name.
SHOWN = {Credit.FULL_NAME: "Claire Martin", Credit.INITIALS: "C. M.", Credit.HIDDEN: None}
CLAIRE = ("Claire", "Martin", "C. M.")


@pytest.fixture
def fiche(db):
    return fiche_with_sections(2)


@pytest.fixture
def claire(db):
    user = UserFactory(first_name="Claire", last_name="Martin")
    ProfileFactory(user=user, credit=Credit.FULL_NAME)
    return user


@pytest.fixture
def karim(db):
    """Another contributor, named in full: the unnamed are counted after him."""
    user = UserFactory(first_name="Karim", last_name="Benali")
    ProfileFactory(user=user, credit=Credit.FULL_NAME)
    return user


@pytest.fixture
def contributions(fiche, claire, karim):
    """Claire rewrote a section (twice), proposed a change and commented; Karim rewrote the other section."""
    first, second = fiche.sections.order_by("order")
    section_rewritten(first, "Texte repris.", actor=claire, summary="Reprise")
    section_rewritten(first, "Texte repris et relu.", actor=claire, summary="Relecture")
    section_rewritten(second, "Autre texte repris.", actor=karim, summary="Autre reprise")
    suggestion = suggestion_on(first, author=claire, rationale="Plus clair.")
    comment = services.comment_create(suggestion_id=suggestion.pk, author=claire, body="Mon avis sur la question.")
    return {"section": first, "suggestion": suggestion, "comment": comment}


def _credit(user, credit):
    user.profile.credit = credit
    user.profile.save()


def _pages(fiche, contributions) -> dict[str, str]:
    section, suggestion = contributions["section"], contributions["suggestion"]
    return {
        "history": reverse("fiches:history", args=[fiche.slug]),
        "section_history": reverse("fiches:section_history", args=[fiche.slug, section.pk]),
        "compare": reverse("fiches:revision_compare", args=[fiche.slug, section.pk]) + "?de=2&a=3",
        "feed": reverse("fiches:feed", args=[fiche.slug]),
        "section": reverse("fiches:section", args=[fiche.slug, section.pk]),
        "suggestion": reverse("fiches:suggestion", args=[suggestion.pk]),
    }


@pytest.mark.parametrize("credit", list(Credit))
def test_history_pages_name_a_contributor_as_chosen(member_client, fiche, contributions, claire, credit):
    _credit(claire, credit)
    shown = SHOWN[credit]

    for name, url in _pages(fiche, contributions).items():
        page = main_text(member_client.get(url))
        if shown is None:
            assert not any(part in page for part in CLAIRE), (name, page[:2000])
            assert "Membre du réseau" in page, name
        else:
            assert shown in page, (name, page[:2000])
            if credit == Credit.INITIALS:
                assert "Claire" not in page and "Martin" not in page, name


@pytest.mark.parametrize(
    ("credit", "lines"),
    [
        # Most revisions first; the people not named together, last.
        (Credit.FULL_NAME, ["Claire Martin — 2 révisions", "Karim Benali — 1 révision"]),
        (Credit.INITIALS, ["C. M. — 2 révisions", "Karim Benali — 1 révision"]),
        (Credit.HIDDEN, ["Karim Benali — 1 révision", "et 1 autre personne — 2 révisions"]),
    ],
)
def test_the_contributors_list_of_the_history_page(member_client, fiche, contributions, claire, credit, lines):
    _credit(claire, credit)

    contributors = select_one(member_client.get(reverse("fiches:history", args=[fiche.slug])), ".col-lg-4 ul")

    assert [text_of(item) for item in contributors.iter("li")] == lines


def test_the_feed_and_suggestion_name_each_person_by_their_own_choice(member_client, fiche, contributions, karim):
    """A comment by Karim (initials) under Claire's suggestion (full name): each keeps their own choice."""
    _credit(karim, Credit.INITIALS)
    services.comment_create(suggestion_id=contributions["suggestion"].pk, author=karim, body="Je soutiens.")

    page = main_text(member_client.get(reverse("fiches:suggestion", args=[contributions["suggestion"].pk])))

    assert "Proposée par Claire Martin" in page
    assert "K. B." in page and "Karim" not in page


def test_moderation_pages_show_the_team_the_full_name_others_the_choice(
    client, member, fiche, contributions, claire, curator
):
    _credit(claire, Credit.HIDDEN)
    comment = contributions["comment"]
    services.comment_report(comment_id=comment.pk, reporter=member, reason="Hors sujet")

    client.force_login(member)
    report_page = main_text(client.get(reverse("fiches:comment_report", args=[comment.pk])))
    assert "Membre du réseau" in report_page and "Claire" not in report_page

    client.force_login(curator)
    assert "Claire Martin" in main_text(client.get(reverse("fiches:moderation")))
    assert "Claire Martin" in main_text(client.get(reverse("fiches:comment_hide", args=[comment.pk])))
    # Outside moderation, the team reads what everyone reads.
    suggestion_page = main_text(client.get(reverse("fiches:suggestion", args=[contributions["suggestion"].pk])))
    assert "Claire" not in suggestion_page


# The published PDF -------------------------------------------------------------------------------


def _contributors_in(pdf: Pdf) -> str:
    """The text of the PDF's contributors annex."""
    return pdf.text.split("Ont contribué au texte :", 1)[1].split("Historique des versions", 1)[0]


@pytest.mark.parametrize("credit", list(Credit))
def test_the_published_pdf_names_a_contributor_as_chosen(client, fiche, contributions, claire, credit):
    _credit(claire, credit)
    version_published(fiche, "v1.0")

    annex = _contributors_in(Pdf(client.get(PDF_URL).content))

    assert "Karim Benali" in annex
    if credit == Credit.HIDDEN:
        assert not any(part in annex for part in CLAIRE)
        assert "et 1 autre personne" in annex
    else:
        assert SHOWN[credit] in annex
        assert "autre personne" not in annex
        if credit == Credit.INITIALS:
            assert "Claire" not in annex


def test_a_stored_pdf_is_made_again_when_a_contributor_changes_their_choice(
    client, fiche, contributions, claire, settings
):
    version_published(fiche, "v1.0")
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        before = Pdf(client.get(PDF_URL).content)
        assert Pdf(client.get(PDF_URL).content).content == before.content  # stored: served again as is
        assert render.call_count == 1

        # Claire, on her profile form, chooses not to be named.
        client.force_login(claire)
        form = open_form(client, "/membres/mon-profil/")
        assert client.post("/membres/mon-profil/", form | {"credit": Credit.HIDDEN}).status_code == 302
        client.logout()

        after = Pdf(client.get(PDF_URL).content)

    assert render.call_count == 2
    assert "Claire Martin" in _contributors_in(before)
    annex = _contributors_in(after)
    assert "Claire" not in annex and "Martin" not in annex
    assert "Karim Benali" in annex and "et 1 autre personne" in annex
    # The file naming her is gone from storage, not only from the downloads.
    stored = list((settings.MEDIA_ROOT / "pdf-cache" / "fiches").iterdir())
    assert len(stored) == 1 and stored[0].read_bytes() == after.content


def test_a_pdf_whose_contributors_are_all_unnamed_counts_them(client, fiche, contributions, claire, karim):
    _credit(claire, Credit.HIDDEN)
    _credit(karim, Credit.HIDDEN)
    version_published(fiche, "v1.0")

    annex = _contributors_in(Pdf(client.get(PDF_URL).content))

    assert "2 personnes non nommées" in annex
    assert not any(part in annex for part in (*CLAIRE, "Karim", "Benali"))
