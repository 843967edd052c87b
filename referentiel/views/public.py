from dataclasses import dataclass
from functools import partial

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel
from core.htmx import render_page
from core.panels import panels
from core.permissions import public
from missions.models import Activity, Mission, mobilising_activities
from referentiel.diff import framework_diff
from referentiel.framework import framework_snapshot
from referentiel.pdf import framework_pdf_response
from referentiel.selectors import domain_ancestors, domain_tree


def _version(request, label):
    return get_object_or_404(FrameworkVersion.objects.visible_to(request.user), label=label)


# A released version never changes: the body of its browse pages is cached for a day.
RELEASED_BODY_CACHE_SECONDS = 24 * 3600


def _version_context(request, version):
    return {
        "version": version,
        "body_cache_seconds": 0 if version.is_draft else RELEASED_BODY_CACHE_SECONDS,
        "versions": FrameworkVersion.objects.visible_to(request.user).only("label", "status", "published_at"),
        "current": FrameworkVersion.objects.current(),
    }


def _render_by_mission(request, version, *, is_latest=False):
    missions = Mission.objects.of(version).with_activities().order_by("order", "code")
    context = _version_context(request, version) | {"missions": missions, "is_latest": is_latest}
    return render(request, "referentiel/framework_detail.html", context)


@public
def home(request):
    """The published référentiel, by mission (the page /referentiel/ always shows the latest)."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return render(request, "referentiel/framework_empty.html")
    return _render_by_mission(request, version, is_latest=True)


@public
def version_detail(request, label):
    return _render_by_mission(request, _version(request, label))


@public
def version_pdf(request, label):
    """The version as a PDF: released versions for everyone, drafts for the CNCD team (marked "projet")."""
    return framework_pdf_response(request, _version(request, label))


@public
def version_competences(request, label):
    version = _version(request, label)
    # Read only when the page body is not in the cache: the template calls it inside {% cache %}.
    # One line per competence: its levels, activities and alignments are on its own page.
    domains = partial(domain_tree, version, Competence.objects.only("domain", "code", "title", "kind", "transversal"))
    context = _version_context(request, version) | {
        "domains": domains,
        "scale": ScaleLevel.objects.of(version).order_by("value"),
    }
    return render(request, "referentiel/competence_list.html", context)


def _lineage(request, model, item):
    """The same item in the other versions: same code, the code it replaces, or the one replacing it."""
    codes = {item.code} | ({item.replaces} if item.replaces else set())
    rows = (
        model.objects.filter(version__in=FrameworkVersion.objects.visible_to(request.user))
        .filter(Q(code__in=codes) | Q(replaces=item.code))
        .exclude(pk=item.pk)
        .select_related("version")
    )
    return sorted(rows, key=lambda row: (row.version.published_at is None, row.version.published_at, row.version.pk))


@public
def mission_detail(request, label, code):
    version = _version(request, label)
    mission = get_object_or_404(Mission.objects.of(version).with_activities(), code=code)
    context = _version_context(request, version) | {
        "item": mission,
        "kind": "mission",
        "lineage": _lineage(request, Mission, mission),
        # What the apps above add on the item's page (core.panels); nothing when none has anything.
        "panels": panels("referentiel.competence", request.user, code=mission.code, kind="mission"),
    }
    return render(request, "referentiel/item_detail.html", context)


@public
def activity_detail(request, label, code):
    version = _version(request, label)
    activity = get_object_or_404(
        Activity.objects.of(version).select_related("mission").prefetch_related("competences"), code=code
    )
    context = _version_context(request, version) | {
        "item": activity,
        "kind": "activity",
        "lineage": _lineage(request, Activity, activity),
        "panels": panels("referentiel.competence", request.user, code=activity.code, kind="activity"),
    }
    return render(request, "referentiel/item_detail.html", context)


@public
def domain_detail(request, label, code):
    version = _version(request, label)
    domain = get_object_or_404(
        Domain.objects.of(version).prefetch_related(
            Prefetch("competences", queryset=Competence.objects.order_by("order", "code")),
            Prefetch("children", queryset=Domain.objects.order_by("order", "code")),
        ),
        code=code,
    )
    context = _version_context(request, version) | {
        "item": domain,
        "ancestors": domain_ancestors(domain),
        "kind": "domain",
        "lineage": _lineage(request, Domain, domain),
    }
    return render(request, "referentiel/item_detail.html", context)


@public
def competence_detail(request, label, code):
    version = _version(request, label)
    competence = get_object_or_404(
        Competence.objects.of(version)
        .select_related("domain")
        .with_levels()
        .prefetch_related(
            mobilising_activities(),
            Prefetch("related", queryset=Competence.objects.order_by("code")),
            "alignments",
        ),
        code=code,
    )
    descriptors = {level.value: level.descriptor for level in competence.levels.all()}
    scale = [(level, descriptors.get(level.value, "")) for level in ScaleLevel.objects.of(version).order_by("value")]
    context = _version_context(request, version) | {
        "item": competence,
        "kind": "competence",
        "ancestors": [*domain_ancestors(competence.domain), competence.domain],
        "scale": scale,
        "lineage": _lineage(request, Competence, competence),
        "panels": panels("referentiel.competence", request.user, code=competence.code, kind="competence"),
    }
    return render(request, "referentiel/item_detail.html", context)


@public
def changelog(request):
    versions = list(FrameworkVersion.objects.released())
    for version, previous in zip(versions, [*versions[1:], None], strict=True):
        version.previous_label = previous.label if previous else ""
    return render(request, "referentiel/changelog.html", {"versions": versions})


@public
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    label = request.GET.get("version", "")
    version = _version(request, label) if label else FrameworkVersion.objects.current()
    if version is None:
        raise Http404
    results = {}
    if query:
        results = {
            "missions": Mission.objects.of(version).search(query),
            "activities": Activity.objects.of(version).search(query).select_related("mission"),
            "competences": Competence.objects.of(version).search(query).select_related("domain"),
        }
        results = {key: list(value.order_by("code")[:50]) for key, value in results.items()}
    context = _version_context(request, version) | {
        "query": query,
        "results": results,
        "count": sum(len(v) for v in results.values()),
    }
    return render_page(request, "referentiel/search.html", context, fragment="results")


@dataclass(frozen=True)
class Comparison:
    """Two versions compared; released versions never change, so their comparison is kept for good."""

    old: FrameworkVersion
    new: FrameworkVersion
    is_final: bool


@public
def compare(request):
    visible = FrameworkVersion.objects.visible_to(request.user)
    versions = list(visible)
    old_label, new_label = request.GET.get("de", ""), request.GET.get("a", "")
    if not old_label and not new_label and len(versions) >= 2:
        # By default: from the previous released version to the one in force.
        released = [v for v in versions if not v.is_draft]
        if len(released) >= 2:
            old_label, new_label = released[1].label, released[0].label
    context = {"versions": versions, "old_label": old_label, "new_label": new_label, "compared": None, "error": ""}
    if old_label and new_label:
        by_label = {v.label: v for v in versions}
        if old_label not in by_label or new_label not in by_label:
            context["error"] = _("Choisissez deux versions existantes du référentiel.")
        else:
            old, new = by_label[old_label], by_label[new_label]
            context["compared"] = Comparison(old=old, new=new, is_final=not (old.is_draft or new.is_draft))
            # Computed by the template only when its rendering is not in the cache.
            context["diff"] = lambda: framework_diff(framework_snapshot(old), framework_snapshot(new))
    return render(request, "referentiel/framework_compare.html", context)
