"""The fiche de poste as a PDF, downloaded as a visitor, a member or the owner would."""

from unittest import mock

import pytest
import weasyprint
from django.urls import reverse
from django.utils import timezone

from core import pdf as renderer
from fiches import services
from fiches.models import COMMON_FICHE_SLUG, Revision
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

VERSION_URL = reverse("fiches:version_pdf", args=[COMMON_FICHE_SLUG, "v1.0"])
DRAFT_URL = reverse("fiches:draft_pdf", args=[COMMON_FICHE_SLUG])
MY_FICHE_URL = reverse("fiches:my_fiche_pdf")


def _download(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    return response


def test_published_version_pdf_for_anonymous_visitors(client, published, read_pdf):
    response = _download(client, VERSION_URL)

    assert response["Content-Disposition"] == 'attachment; filename="fiche-de-poste-technicien-codev-v1.0.pdf"'
    pdf = read_pdf(response.content)
    # Cover, table of contents, sections, contributors, changelog — in this order.
    assert "Coordination nationale des conseils de développement" in pdf.pages[0]
    assert "Technicien·ne de conseil de" in pdf.pages[0]
    assert "v1.0" in pdf.pages[0]
    assert "Sommaire" in pdf.pages[1]
    order = [
        "Finalité du poste",
        "Missions et activités",
        "Compétences requises",
        "Conditions d'exercice",
        "Contributeurs et contributrices",
        "Historique des versions",
    ]
    positions = [pdf.text.index(title, pdf.text.index("Une fiche type.")) for title in order]
    assert positions == sorted(positions)
    # Missions with their activities, competences with their expected level, as a table.
    assert "M1.A1" in pdf.text and "Réaliser l'activité 1.1" in pdf.text
    assert "M3" not in pdf.text.split("Missions et activités")[-1].split("Compétences requises")[0]
    assert "Niveau attendu" in pdf.text and "3 Maîtrise" in pdf.text and "2 Application" in pdf.text
    assert "Aïcha Zerrouki" in pdf.text
    assert "Première version commune." in pdf.text
    # Running header and footer with "page X / Y" on every page but the cover.
    assert len(pdf.pages) >= 4
    for number, page in enumerate(pdf.pages[1:], 2):
        assert f"Page {number} / {len(pdf.pages)}" in page
        assert "Version v1.0" in page
    assert "Page 1 /" not in pdf.pages[0]
    assert "PROJET" not in pdf.text


def test_table_of_contents_gives_the_page_of_each_section(client, published, read_pdf):
    pdf = read_pdf(_download(client, VERSION_URL).content)

    toc = pdf.toc()
    assert list(toc) == [
        "Finalité du poste",
        "Missions et activités",
        "Compétences requises",
        "Conditions d'exercice",
        "Contributeurs et contributrices",
        "Historique des versions",
    ]
    for title, page in toc.items():
        assert pdf.first_page_with(title) == page, title


def test_pdf_metadata_fonts_and_accessibility(client, published, read_pdf):
    pdf = read_pdf(_download(client, VERSION_URL).content)

    assert pdf.metadata["/Title"] == "Technicien·ne de conseil de développement — v1.0"
    assert pdf.metadata["/Author"] == "Coordination nationale des conseils de développement"
    assert "technicien·nes" in pdf.metadata["/Subject"]
    assert pdf.catalog["/Lang"] == "fr"
    # Tagged PDF/UA-1 with the project's own fonts embedded (subset), never a system fallback.
    assert bool(pdf.catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in pdf.catalog
    assert 'pdfuaid:part="1"' in pdf.xmp
    fonts = pdf.fonts()
    assert fonts and all("+Source-Sans-3" in name for name in fonts), fonts
    assert any(name.endswith("Source-Sans-3-Bold") for name in fonts)


def test_archival_variant_on_request(client, published, read_pdf):
    response = _download(client, VERSION_URL + "?format=pdfa")

    assert response["Content-Disposition"] == 'attachment; filename="fiche-de-poste-technicien-codev-v1.0-pdfa.pdf"'
    pdf = read_pdf(response.content)
    assert 'pdfaid:part="3"' in pdf.xmp and 'pdfaid:conformance="B"' in pdf.xmp
    assert "/OutputIntents" in pdf.catalog
    assert bool(pdf.catalog["/MarkInfo"]["/Marked"])


def test_french_typography_in_the_pdf(client, published, read_pdf):
    with mock.patch("weasyprint.HTML", wraps=weasyprint.HTML) as html:
        pdf = read_pdf(_download(client, VERSION_URL).content)

    laid_out = html.call_args.kwargs["string"]
    assert "conseil\u00a0: <strong>sans se substituer</strong>\u202f!" in laid_out
    assert 'lang="fr"' in laid_out
    # In the PDF itself: the thin non-breaking space (pypdf reads U+00A0 back as a plain space).
    assert "Faire vivre le conseil : sans se substituer\u202f!" in pdf.text


def test_published_version_is_rendered_once_then_served_from_storage(client, published, read_pdf, settings):
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        first = _download(client, VERSION_URL)
        second = _download(client, VERSION_URL)

    assert render.call_count == 1
    assert first.content == second.content
    stored = list((settings.MEDIA_ROOT / "pdf-cache" / "fiches").iterdir())
    assert len(stored) == 1 and stored[0].name.startswith("fiche-commune-v1.0-")


def test_cached_file_follows_a_contributor_name_change(client, published, author, read_pdf):
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        _download(client, VERSION_URL)
        # The name people see is the profile's display name (User.display_name): she changes it there.
        author.profile.display_name = "Aïcha Zerrouki-Martin"
        author.profile.save()
        pdf = read_pdf(_download(client, VERSION_URL).content)

    assert render.call_count == 2
    assert "Aïcha Zerrouki-Martin" in pdf.text


def test_erased_contributors_stay_anonymous(client, published, author, read_pdf):
    author.erased_at = timezone.now()
    author.save()

    pdf = read_pdf(_download(client, VERSION_URL).content)

    assert "Zerrouki" not in pdf.text
    assert "Ancien·nes membres du réseau" in pdf.text


def test_draft_needs_a_member_and_is_marked_projet_on_every_page(client, member_client, published, read_pdf):
    anonymous = client.__class__().get(DRAFT_URL)
    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]

    section = published.fiche.sections.get(key="conditions")
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body="- Réunions en soirée\n- Déplacements\n- Travail le samedi",
        summary="",
        actor=UserFactory(curator=True),
    )
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        response = _download(member_client, DRAFT_URL)
        again = _download(member_client, DRAFT_URL)

    assert render.call_count == 1  # kept until the draft changes (test_draft_is_kept_until_it_changes)
    assert again.content == response.content
    assert response["Content-Disposition"].startswith('attachment; filename="fiche-de-poste-technicien-codev-projet-')
    assert response["Cache-Control"] == "private, no-store"
    pdf = read_pdf(response.content)
    assert "Travail le samedi" in pdf.text
    assert all("PROJET" in page for page in pdf.pages)


def _edit(section, body):
    section.refresh_from_db()
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body=body,
        summary="",
        actor=UserFactory(curator=True),
    )


def test_draft_is_kept_until_it_changes(member_client, published, author, curator, read_pdf):
    sections = published.fiche.sections
    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        first = _download(member_client, DRAFT_URL).content
        assert _download(member_client, DRAFT_URL).content == first
        assert render.call_count == 1

        # A new revision: the next download shows it.
        _edit(sections.get(key="conditions"), "- Réunions en soirée\n- Astreintes le dimanche")
        assert "Astreintes le dimanche" in read_pdf(_download(member_client, DRAFT_URL).content).text
        assert render.call_count == 2

        # A contributor changes how she is named.
        author.profile.display_name = "Aïcha Zerrouki-Martin"
        author.profile.save()
        assert "Aïcha Zerrouki-Martin" in read_pdf(_download(member_client, DRAFT_URL).content).text
        assert render.call_count == 3

        # A section renamed, then a new version published (the draft names the version it follows).
        conditions = sections.get(key="conditions")
        conditions.title = "Conditions de travail"
        conditions.save()
        assert "Conditions de travail" in read_pdf(_download(member_client, DRAFT_URL).content).text
        services.version_publish(fiche_id=published.fiche_id, label="v1.1", summary="", actor=curator)
        assert "après la version v1.1" in read_pdf(_download(member_client, DRAFT_URL).content).text
        assert render.call_count == 5

        # The archival variant is a document of its own; the usual one is still kept.
        archival = _download(member_client, DRAFT_URL + "?format=pdfa")
        assert archival["Content-Disposition"].endswith('-pdfa.pdf"')
        _download(member_client, DRAFT_URL)
        assert render.call_count == 6


def test_draft_kept_per_language(member_client, published, settings):
    def download(language):
        member_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return _download(member_client, DRAFT_URL).content

    with mock.patch.object(renderer, "html_to_pdf", wraps=renderer.html_to_pdf) as render:
        french, english = download("fr"), download("en")
        assert render.call_count == 2
        assert download("en") == english and download("fr") == french
        assert render.call_count == 2


def test_erasing_a_contributor_drops_the_kept_draft(
    member_client, published, author, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from fiches.pdf import draft_pdf_cache_keys
    from fiches.personal_data import revisions_erase

    _download(member_client, DRAFT_URL)
    keys = draft_pdf_cache_keys(published.fiche_id)
    assert any(cache.get(key) is not None for key in keys)

    with django_capture_on_commit_callbacks(execute=True):
        revisions_erase(author)

    assert all(cache.get(key) is None for key in keys)


def test_personal_fiche_pdf_for_its_owner_only(client, published, member, other_member, read_pdf):
    personal = services.personal_fiche_create(
        owner=member,
        fiche=published.fiche,
        job_title="Chargée de mission participation",
        employer="Agglo du Val",
        time_share=60,
        local_context="Conseil de 40 membres.",
    )
    section = personal.sections.get(title="Conditions d'exercice")
    services.personal_section_edit(
        personal_section_id=section.pk, owner=member, body="- Réunions le jeudi soir à Valence"
    )

    assert client.get(MY_FICHE_URL).status_code == 302
    client.force_login(other_member)
    intruder = client.get(MY_FICHE_URL)
    assert intruder.status_code == 404
    assert b"Valence" not in intruder.content

    client.force_login(member)
    assert MY_FICHE_URL.encode() in client.get(reverse("fiches:my_fiche")).content
    response = _download(client, MY_FICHE_URL)
    assert response["Content-Disposition"] == (
        'attachment; filename="ma-fiche-de-poste-chargee-de-mission-participation-agglo-du-val.pdf"'
    )
    pdf = read_pdf(response.content)
    assert "Chargée de mission participation" in pdf.pages[0]
    assert "Agglo du Val" in pdf.pages[0] and "60 %" in pdf.pages[0]
    assert "Réunions le jeudi soir à Valence" in pdf.text
    assert "Conseil de 40 membres." in pdf.text
    assert "fiche de poste commune v1.0" in pdf.text
    assert "PROJET" not in pdf.text
    assert "Spécificités locales" in pdf.toc()


def test_download_links_on_the_pages(client, member_client, published):
    public_page = client.__class__().get(reverse("fiches:version", args=[COMMON_FICHE_SLUG, "v1.0"]))
    assert VERSION_URL.encode() in public_page.content
    draft_page = member_client.get(reverse("fiches:detail", args=[COMMON_FICHE_SLUG]))
    assert DRAFT_URL.encode() in draft_page.content


# Hostile content ---------------------------------------------------------------------------------


def test_user_text_cannot_make_the_server_fetch_anything(member_client, published, trap_server, read_pdf, caplog):
    base, hits = trap_server
    section = published.fiche.sections.get(key="finalite")
    body = f'Texte ![x]({base}/markdown.png) et ![y](http://127.0.0.1:9/x.png)\n\n<img src="{base}/raw.png">'
    services.section_edit(
        section_id=section.pk, base_revision_id=section.current_revision_id, body=body, summary="", actor=None
    )
    section.refresh_from_db()
    # Even if the sanitiser ever let tags through, the renderer's fetcher refuses them.
    Revision.objects.filter(pk=section.current_revision_id).update(
        body_html=f'<p>Avant</p><img src="{base}/forced.png" alt="x"><img src="http://example.org/x.png" alt="y">'
        f'<link rel="stylesheet" href="{base}/forced.css"><p>Après</p>'
    )

    pdf = read_pdf(_download(member_client, DRAFT_URL).content)

    assert "Avant" in pdf.text and "Après" in pdf.text
    assert hits == []
    refused = "\n".join(record.getMessage() for record in caplog.records if "ressource refusée" in record.getMessage())
    assert f"{base}/forced.png" in refused
    assert "http://example.org/x.png" in refused


def test_a_huge_body_fails_fast_with_a_french_message(member_client, published):
    section = published.fiche.sections.get(key="finalite")
    Revision.objects.filter(pk=section.current_revision_id).update(body_html="<p>" + "mot " * 250_000 + "</p>")

    with mock.patch("weasyprint.HTML") as weasyprint_html:
        response = member_client.get(DRAFT_URL)

    assert response.status_code == 422
    assert "trop long pour être converti en PDF" in response.content.decode()
    weasyprint_html.assert_not_called()


def test_deeply_nested_lists_fail_with_a_french_message(member_client, published):
    section = published.fiche.sections.get(key="finalite")
    Revision.objects.filter(pk=section.current_revision_id).update(
        body_html="<ul><li>" * 200 + "fond" + "</li></ul>" * 200
    )

    response = member_client.get(DRAFT_URL)

    assert response.status_code == 422
    assert "imbriqués sur trop de niveaux" in response.content.decode()


def test_an_enormous_table_fails_with_a_french_message(member_client, published):
    section = published.fiche.sections.get(key="finalite")
    rows = "".join(f"<tr><td>{n}</td><td>a</td><td>b</td><td>c</td></tr>" for n in range(3000))
    Revision.objects.filter(pk=section.current_revision_id).update(body_html=f"<table>{rows}</table>")

    response = member_client.get(DRAFT_URL)

    assert response.status_code == 422
    assert "tableaux trop grands" in response.content.decode()


def test_long_table_and_nested_lists_written_by_members_render_across_pages(member_client, published, read_pdf):
    section = published.fiche.sections.get(key="finalite")
    table = "| Colonne A | Colonne B |\n| --- | --- |\n" + "".join(
        f"| Ligne {n} | Réunion du conseil |\n" for n in range(150)
    )
    nested = "".join("  " * depth + f"- niveau {depth}\n" for depth in range(60))
    services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body=table + "\n" + nested,
        summary="",
        actor=None,
    )

    pdf = read_pdf(_download(member_client, DRAFT_URL).content)

    assert "Ligne 149" in pdf.text and "niveau 0" in pdf.text
    pages_with_rows = [page for page in pdf.pages if "Ligne 1" in page and "Réunion du conseil" in page]
    assert len(pages_with_rows) >= 2
    assert all("Colonne A" in page for page in pages_with_rows)  # the header row repeats
