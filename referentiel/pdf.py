"""The référentiel as a PDF: a version by mission, with its competences and scale (one renderer: core.pdf)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from competences.models import Competence, ScaleLevel
from core.pdf import NETWORK_NAME, PdfDocument, pdf_response
from missions.models import Mission
from referentiel.selectors import domain_tree


def framework_pdf_filename(version) -> str:
    """`referentiel-competences-codev-v1.0.pdf` (drafts say so)."""
    suffix = "-projet" if version.is_draft else ""
    return f"referentiel-competences-codev-{version.label}{suffix}.pdf"


def framework_pdf_context(version) -> dict:
    """Everything the référentiel template shows, in a fixed number of queries."""
    scale = list(ScaleLevel.objects.of(version).order_by("value"))
    missions = list(Mission.objects.of(version).with_activities().order_by("order", "code"))
    domains = domain_tree(version, Competence.objects.with_levels().prefetch_related("alignments"))
    competence_count = 0
    for domain in domains:
        for competence in domain.competences.all():
            competence_count += 1
            descriptors = {level.value: level.descriptor for level in competence.levels.all()}
            competence.level_rows = [(level, descriptors[level.value]) for level in scale if level.value in descriptors]
    date = version.published_at or timezone.now()
    toc = [{"anchor": "echelle", "title": _("Échelle de maîtrise")}]
    if version.summary:
        toc.insert(0, {"anchor": "presentation", "title": _("Ce qui change dans cette version")})
    toc.append({"anchor": "missions", "title": _("Missions et activités")})
    toc += [{"anchor": f"mission-{m.code}", "title": f"{m.code} — {m.title}", "level": 2} for m in missions]
    toc.append({"anchor": "competences", "title": _("Compétences par domaine")})
    # The table of contents lists the first two levels of the domain tree; deeper ones are in the text.
    toc += [
        {"anchor": f"domaine-{d.code}", "title": f"{d.code} — {d.title}", "level": 2 + d.depth}
        for d in domains
        if d.depth <= 1
    ]
    title = _("Référentiel des missions et compétences")
    status = _("projet non publié") if version.is_draft else version.get_status_display().lower()
    return {
        "doc": {
            "title": title,
            "kicker": _("Technicien·ne de conseil de développement"),
            "subtitle": _("%(missions)s missions, %(competences)s compétences, échelle en %(levels)s niveaux")
            % {"missions": len(missions), "competences": competence_count, "levels": len(scale)},
            "author": NETWORK_NAME,
            "description": _("Référentiel des missions et compétences des technicien·nes de conseil de développement"),
            "keywords": _("référentiel, compétences, missions, conseil de développement, CNCD"),
            "version_label": version.label,
            "version_display": f"{version.label} — {status}",
            "running_version": f"{_('Projet') if version.is_draft else _('Version')} {version.label}",
            "date": date,
            "date_iso": date.date().isoformat(),
            "is_draft": version.is_draft,
            "draft_notice": _("Projet en préparation par l'équipe CNCD : ce document n'a pas de valeur officielle."),
        },
        "version": version,
        "scale": scale,
        "missions": missions,
        "domains": domains,
        "toc": toc,
    }


def framework_pdf_document(version) -> PdfDocument:
    """`version` as a PDF; released versions are stored once rendered, drafts never."""
    return PdfDocument(
        template_name="pdf/referentiel.html",
        context=lambda: framework_pdf_context(version),
        filename=framework_pdf_filename(version),
        cache_key=None if version.is_draft else f"referentiel/{version.label}-{version.pk}",
        # The cover says whether the version is the published one or archived.
        cache_version=version.status,
    )


def framework_pdf_response(request, version):
    """The download of `version`; released versions are rendered once and stored."""
    return pdf_response(request, framework_pdf_document(version))
