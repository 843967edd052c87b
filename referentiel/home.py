"""What the référentiel adds to the personal home (core.home): changes to review, the version in force, progress."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competences.models import Competence, FrameworkVersion, SelfAssessment
from core.home import HomeBlock, HomeLink, home_block_register
from referentiel.selfassessment import what_is_new


def referentiel_changes_to_review(user) -> HomeBlock | None:
    """Competences the published version added or changed since the member last rated against another one."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return None
    ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(user)}
    new = what_is_new(version, ratings)
    if new is None:
        return None
    count = len(new.added) + len(new.changed)
    return HomeBlock(
        "needs-referentiel",
        _("Le référentiel a changé depuis votre auto-évaluation"),
        [
            HomeLink(
                f"{change.code} {change.title}",
                reverse("referentiel:self_assessment") + f"#competence-{change.code}",
                _("nouvelle compétence") if change.status == "added" else _("compétence modifiée"),
            )
            for change in [*new.added, *new.changed][:8]
        ],
        count=count,
        text=_("Depuis la version %(since)s, à revoir dans votre auto-évaluation :") % {"since": new.since},
        more_url=reverse("referentiel:self_assessment"),
        more_text=_("Revoir mon auto-évaluation"),
    )


def referentiel_in_force(user) -> HomeBlock | None:
    version = FrameworkVersion.objects.current()
    if version is None:
        return None
    return HomeBlock(
        "news-referentiel",
        _("Référentiel"),
        [
            HomeLink(
                _("Version %(label)s en vigueur") % {"label": version.label},
                reverse("referentiel:version", args=[version.label]),
                version.summary[:160],
                when=version.published_at,
            )
        ],
        more_url=reverse("referentiel:changelog"),
        more_text=_("Historique des versions"),
    )


def self_assessment_progress(user) -> HomeBlock | None:
    version = FrameworkVersion.objects.current()
    if version is None:
        return None
    codes = set(Competence.objects.of(version).values_list("code", flat=True))
    rated = SelfAssessment.objects.of_user(user).filter(code__in=codes).count()
    return HomeBlock(
        "progress-self-assessment",
        _("Auto-évaluation"),
        text=ngettext(
            "%(rated)s compétence évaluée sur %(total)s.", "%(rated)s compétences évaluées sur %(total)s.", rated
        )
        % {"rated": rated, "total": len(codes)},
        context={"value": rated, "max": len(codes)},
        include="core/includes/home_progress.html",
        more_url=reverse("referentiel:self_assessment"),
        more_text=_("Compléter mon auto-évaluation") if rated < len(codes) else _("Revoir mon auto-évaluation"),
    )


def register() -> None:
    home_block_register("needs", order=30)(referentiel_changes_to_review)
    home_block_register("news", order=20)(referentiel_in_force)
    home_block_register("progress", order=30)(self_assessment_progress)
