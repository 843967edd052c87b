from fiches import services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, FicheVersion, Revision, Section, Suggestion
from tests.members.factories import UserFactory


def fiche_with_sections(count: int, *, slug: str = COMMON_FICHE_SLUG) -> Fiche:
    """A fiche with `count` free-text sections, each with a first revision."""
    fiche, _created = Fiche.objects.get_or_create(
        slug=slug, defaults={"title": "Technicien·ne de conseil de développement"}
    )
    start = fiche.sections.count()
    for position in range(start, start + count):
        services.section_create(
            fiche=fiche,
            key=f"section-{position}",
            title=f"Section {position}",
            kind=SectionKind.TEXT,
            body=f"Texte de la section {position} : animer les séances du conseil en soirée.",
            order=position,
        )
    return fiche


def suggestion_on(
    section: Section, *, author=None, body: str | None = None, rationale: str = "Plus précis."
) -> Suggestion:
    """An open suggestion on the current text of `section`."""
    section.refresh_from_db()
    return services.suggestion_create(
        section_id=section.pk,
        author=author or UserFactory(),
        body=body if body is not None else section.current_body + " Et préparer les comptes rendus.",
        rationale=rationale,
    )


def section_rewritten(section: Section, body: str, *, actor=None, summary: str = "") -> Revision:
    """A new revision of `section` with `body`, written on its current text by `actor` (a new member by default)."""
    section.refresh_from_db()
    return services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body=body,
        summary=summary,
        actor=actor or UserFactory(),
    )


def version_published(fiche: Fiche, label: str, *, actor=None) -> FicheVersion:
    """`fiche` published as it stands under `label`."""
    return services.version_publish(
        fiche_id=fiche.pk, label=label, summary="", actor=actor or UserFactory(curator=True)
    )
