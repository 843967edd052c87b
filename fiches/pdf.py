"""The fiche de poste as a PDF: a published version, the working draft ("projet") or a member's own fiche.

All three go through the one renderer (core.pdf) with the same template, pdf/fiche.html,
each described once as a PdfDocument. Published versions are stored once (and rendered in the
background when they are published, fiches.tasks); the draft and personal fiches are rendered on
demand and never stored (a personal fiche is private, the draft changes all the time).
"""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.dates import long_date
from core.pdf import NETWORK_NAME, VARIANTS, PdfDocument, pdf_response
from core.pdf import _design_digest as design_digest  # the stored PDFs follow it too
from fiches import caching
from fiches.models import COMMON_FICHE_SLUG, Fiche, FicheVersion, Revision, Section
from members.models import User, unnamed_people

KEYWORDS = "fiche de poste, technicien·ne, conseil de développement, CNCD"
# A published version's contributors are read at each download of its stored PDF (its fingerprint).
VERSION_CONTRIBUTORS_SECONDS = 24 * 3600
# The draft is kept for the day at most (its cover is dated), and dropped when a contributor is erased.
DRAFT_PDF_SECONDS = 24 * 3600


def _safe_label(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "version"


def _base_name(fiche) -> str:
    if fiche.slug == COMMON_FICHE_SLUG:
        return "fiche-de-poste-technicien-codev"
    return f"fiche-de-poste-{fiche.slug}"


def fiche_pdf_filename(fiche, version=None) -> str:
    """`fiche-de-poste-technicien-codev-v1.0.pdf`, or `…-projet-2026-11-28.pdf` for the draft."""
    if version is not None:
        return f"{_base_name(fiche)}-{_safe_label(version.label)}.pdf"
    return f"{_base_name(fiche)}-projet-{timezone.localdate().isoformat()}.pdf"


def personal_pdf_filename(personal) -> str:
    """`ma-fiche-de-poste-<slug>.pdf`, the slug made from the job title and the employer."""
    slug = slugify(f"{personal.job_title} {personal.employer}")[:80].strip("-") or "personnelle"
    return f"ma-fiche-de-poste-{slug}.pdf"


def _contributors(revisions) -> list[str]:
    """The people who wrote the revisions as each chose to be credited, alphabetically; then the erased
    accounts together, then the people not named, counted ("et 2 autres personnes")."""
    authors = User.objects.filter(pk__in=revisions.filter(author__isnull=False).values("author")).select_related(
        "profile"
    )
    names, erased, unnamed = [], False, 0
    for author in authors:
        if author.erased_at:
            erased = True
        elif name := author.credit_name():
            names.append(name)
        else:
            unnamed += 1
    result = sorted(names, key=lambda name: (name.split()[-1].lower(), name.lower()))
    if erased:
        result.append(_("Ancien·nes membres du réseau"))
    if unnamed:
        result.append(unnamed_people(unnamed, after_names=bool(result)))
    return result


def _version_contributors(version) -> list[str]:
    """The contributors of a published version: its revisions never change, only how people are named."""
    key = caching.key("version-contributors", version.pk)
    stamp, names = caching.cached(key, [caching.PEOPLE])
    if names is None:
        revisions = Revision.objects.filter(
            section__in=version.entries.values("section"), created_at__lte=version.published_at
        )
        names = _contributors(revisions)
        caching.store(key, stamp, names, VERSION_CONTRIBUTORS_SECONDS)
    return names


def _sections_toc(sections) -> list[dict]:
    return [{"anchor": section["anchor"], "title": section["title"]} for section in sections]


def _annex_toc() -> list[dict]:
    return [
        {"anchor": "contributeurs", "title": _("Contributeurs et contributrices")},
        {"anchor": "historique", "title": _("Historique des versions")},
    ]


def _doc(fiche, *, title, kicker, version_label, version_display, running_version, date, is_draft, extra_meta=()):
    return {
        "title": title,
        "kicker": kicker,
        "subtitle": "",
        "author": NETWORK_NAME,
        "description": _("Fiche de poste commune des technicien·nes de conseil de développement"),
        "keywords": KEYWORDS,
        "version_label": version_label,
        "version_display": version_display,
        "running_version": running_version,
        "date": date,
        "date_iso": date.date().isoformat(),
        "is_draft": is_draft,
        "draft_notice": _(
            "Projet : version de travail en cours de rédaction, susceptible d'évoluer. "
            "Seule une version publiée fait référence."
        ),
        "notice": _(
            "Fiche de poste type rédigée ensemble par les technicien·nes du réseau ; "
            "chaque collectivité l'adapte à son poste."
        ),
        "extra_meta": list(extra_meta),
    }


_SITE_HREF = re.compile(r'href="/(?!/)')


def absolute_links(html: str) -> str:
    """The site's own links (a référentiel code) with the site's address: a PDF is read away from the site."""
    return _SITE_HREF.sub(f'href="{settings.SITE_URL.rstrip("/")}/', html or "")


def version_pdf_context(version) -> dict:
    """A published version: its frozen sections, contributors until then and the versions so far."""
    fiche = version.fiche
    entries = version.entries.select_related("revision").order_by("order", "pk")
    sections = [
        {
            "anchor": f"section-{entry.section_id}",
            "title": entry.title,
            "html": absolute_links(entry.revision.body_html),
        }
        for entry in entries
    ]
    changelog = list(FicheVersion.objects.of(fiche).filter(published_at__lte=version.published_at))
    return {
        "doc": _doc(
            fiche,
            title=fiche.title,
            kicker=_("Fiche de poste commune"),
            version_label=version.label,
            version_display=_("%(label)s — version publiée") % {"label": version.label},
            running_version=_("Version %(label)s") % {"label": version.label},
            date=version.published_at,
            is_draft=False,
        ),
        "introduction": fiche.introduction,
        "sections": sections,
        "contributors": _version_contributors(version),
        "changelog": changelog,
        "toc": _sections_toc(sections) + _annex_toc(),
    }


def draft_pdf_context(fiche) -> dict:
    """The working draft: every section's current text, marked as a projet on every page."""
    now = timezone.now()
    section_rows = list(Section.objects.of(fiche).with_current())
    sections = [
        {
            "anchor": f"section-{section.pk}",
            "title": section.title,
            "html": absolute_links(section.current_revision.body_html),
        }
        for section in section_rows
        if section.current_revision
    ]
    revisions = Revision.objects.filter(section__fiche=fiche)
    latest = FicheVersion.objects.latest_of(fiche)
    return {
        "doc": _doc(
            fiche,
            title=fiche.title,
            kicker=_("Fiche de poste commune — projet"),
            version_label=_("projet"),
            version_display=_("Projet du %(date)s (après la version %(label)s)")
            % {"date": long_date(now), "label": latest.label}
            if latest
            else _("Projet (aucune version publiée)"),
            running_version=_("Projet de travail"),
            date=now,
            is_draft=True,
        ),
        "introduction": fiche.introduction,
        "sections": sections,
        "contributors": _contributors(revisions),
        "changelog": list(FicheVersion.objects.of(fiche)),
        "toc": _sections_toc(sections) + _annex_toc(),
    }


def personal_pdf_context(personal) -> dict:
    """A member's own fiche: their sections, their post's details, and where it comes from."""
    origin = personal.copied_from
    sections = [
        {"anchor": f"ma-section-{item.pk}", "title": item.title, "html": absolute_links(item.body_html)}
        for item in personal.sections.order_by("order", "pk")
    ]
    extra_meta = []
    if personal.employer:
        extra_meta.append((_("Collectivité"), personal.employer))
    if personal.time_share is not None:
        extra_meta.append((_("Temps consacré au conseil"), f"{personal.time_share}\u00a0%"))
    if personal.local_context:
        sections.insert(
            0,
            {
                "anchor": "specificites",
                "title": _("Spécificités locales"),
                "html": "".join(f"<p>{line}</p>" for line in _escaped_paragraphs(personal.local_context)),
            },
        )
    date = personal.updated_at or timezone.now()
    return {
        "doc": _doc(
            personal.source,
            title=personal.job_title,
            kicker=_("Ma fiche de poste"),
            version_label=origin.label,
            version_display=_("Établie à partir de la fiche commune %(label)s") % {"label": origin.label},
            running_version=_("Ma fiche de poste"),
            date=date,
            is_draft=False,
            extra_meta=extra_meta,
        )
        | {"description": _("Fiche de poste de technicien·ne de conseil de développement"), "notice": ""},
        "sections": sections,
        "origin_note": _(
            "Cette fiche est adaptée de la fiche de poste commune %(label)s du réseau, rédigée ensemble par :"
        )
        % {"label": origin.label},
        "contributors": _version_contributors(origin),
        "changelog": list(FicheVersion.objects.of(personal.source).filter(published_at__lte=origin.published_at)),
        "toc": _sections_toc(sections) + _annex_toc(),
    }


def _escaped_paragraphs(text: str) -> list[str]:
    return [escape(part).replace("\n", "<br>") for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _version_fingerprint(version) -> str:
    """What may still change about a published version: the fiche's title and the contributors' names.

    The names are printed as each contributor chose to be credited (User.credit_name): a changed choice
    gives another fingerprint, hence a new file, and the stored one is pruned when it is written.
    """
    digest = hashlib.sha256(version.fiche.title.encode())
    digest.update(version.fiche.introduction.encode())
    for name in _version_contributors(version):
        digest.update(name.encode())
    return digest.hexdigest()[:10]


# Documents and responses ------------------------------------------------------------------------


def version_pdf_document(version) -> PdfDocument:
    """A published version, stored once rendered."""
    return PdfDocument(
        template_name="pdf/fiche.html",
        context=lambda: version_pdf_context(version),
        filename=fiche_pdf_filename(version.fiche, version),
        cache_key=f"fiches/{version.fiche.slug}-{_safe_label(version.label)}-{version.pk}",
        cache_version=_version_fingerprint(version),
    )


def version_pdf_response(request, version):
    """A published version, rendered once and stored."""
    return pdf_response(request, version_pdf_document(version))


@dataclass(frozen=True, kw_only=True)
class DraftPdfDocument(PdfDocument):
    """The working draft: kept in the cache (never in the storage: members only) until it changes.

    It changes with the fiche, its sections and revisions, its published versions (generation DRAFT), the
    contributors' names (PEOPLE), the day (the cover is dated), the language and the design. The sections'
    current revisions are read with it: a bulk write, which bumps nothing, still gives another PDF.
    """

    fiche: Fiche

    def _facts(self) -> tuple:
        sections = Section.objects.of(self.fiche).values_list("pk", "current_revision_id", "title", "order")
        return (design_digest(), timezone.localdate().isoformat(), tuple(sections))

    def render(self, *, variant: str = "ua") -> bytes:
        key = caching.key("draft-pdf", self.fiche.pk, variant)
        stamp, content = caching.cached(key, [caching.DRAFT, caching.PEOPLE], facts=self._facts())
        if content is None:
            content = super().render(variant=variant)
            caching.store(key, stamp, content, DRAFT_PDF_SECONDS)
        return content


def draft_pdf_cache_keys(fiche_pk: int) -> list[str]:
    """Every key the draft of `fiche_pk` may be kept under (each variant and language), to drop them at once."""
    keys = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            keys += [caching.key("draft-pdf", fiche_pk, variant) for variant in VARIANTS]
    return keys


def draft_pdf_response(request, fiche):
    """The working draft, rendered when it changed since the last download."""
    document = DraftPdfDocument(
        template_name="pdf/fiche.html",
        context=lambda: draft_pdf_context(fiche),
        filename=fiche_pdf_filename(fiche),
        fiche=fiche,
    )
    return pdf_response(request, document)


def personal_pdf_response(request, personal):
    """A member's own fiche, rendered on demand, never stored (it is private)."""
    document = PdfDocument(
        template_name="pdf/fiche.html",
        context=lambda: personal_pdf_context(personal),
        filename=personal_pdf_filename(personal),
    )
    return pdf_response(request, document)
