"""The portfolio a member composes for their annual review (entretien professionnel annuel).

The member chooses the parts (`PortfolioPart`); `portfolio_content` reads them into plain data (str,
int, lists, dicts), the one description behind the page's preview, the JSON download and the PDF
(rendered in the background through core.pdf_exports, kind `PORTFOLIO_EXPORT`). Only the member's own
records are read, whatever the visibility they chose for them: the document is theirs to hand over.

The JSON document (`PORTFOLIO_FORMAT`, version 1):

    {"format": "codev-portfolio", "version": 1, "generated_on": "YYYY-MM-DD",
     "member": {"name": str}, "employer": str, "interviewer": str, "introduction": str,
     "parts": [part codes chosen, in PortfolioPart order],
     "post": {"job_title", "council", "employer", "employment_status", "category", "filiere", "grade",
              "started_on" (ISO date or ""), "time_share" (int or null), "placement"}         (part "poste")
     "missions": [{"code", "title", "time_share"}]                                             (part "missions")
     "levels": {"reference", "source", "scale": [{"value", "label"}],
                "rows": [{"code", "title", "domain", "level", "level_label", "expected", "expected_label",
                          "gap", "not_concerned"}], "unexpected": [same, expected null]}       (part "niveaux")
     "evidence": [{"code", "title", "evidence"}]                                              (part "preuves")
     "trainings": [{"title", "provider", "completed_on", "duration_hours", "review"}]         (part "formations")
     "plan": {"priorities": [{"code", "title", "note"}],
              "actions": [{"title", "kind", "status", "code", "target_date", "done_on"}]}     (part "plan")
     "contributions": {"suggestions": [{"section", "decided_on"}], "revisions": [{"section", "date", "summary"}],
                       "resources": [{"title", "kind", "published_on"}]}                      (part "contributions")
    }

A part not chosen is absent from the document (its key is missing), never empty.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from competences.models import FrameworkVersion
from core.pdf import NETWORK_NAME, PdfDocument
from core.pdf_exports import pdf_export_register
from fiches.enums import RevisionSource, SuggestionStatus
from fiches.models import COMMON_FICHE_SLUG, Revision, Suggestion
from members.models import Profile
from missions.models import Mission, MissionDeclaration
from toolbox.models import Resource
from training.enums import PlanReference, PortfolioPart
from training.levels import level_comparison
from training.models import DevelopmentPlan, TrainingCompletion

PORTFOLIO_FORMAT = "codev-portfolio"
PORTFOLIO_VERSION = 1
# The kind of background PDF this area registers (TrainingConfig.ready).
PORTFOLIO_EXPORT = "training.portfolio"
INTRODUCTION_LENGTH = 3000
NAME_LENGTH = 200
# Contributions listed, newest first: a long career stays a readable page.
CONTRIBUTIONS_SHOWN = 50


@dataclass(frozen=True)
class PortfolioChoice:
    """What the member chose to put in their portfolio."""

    parts: tuple[str, ...]
    introduction: str = ""
    employer: str = ""
    interviewer: str = ""

    def as_params(self, user) -> dict:
        """The export's JSON parameters (core.pdf_exports)."""
        return {
            "user": user.pk,
            "parts": list(self.parts),
            "introduction": self.introduction,
            "employer": self.employer,
            "interviewer": self.interviewer,
        }

    @classmethod
    def from_params(cls, params: dict) -> "PortfolioChoice":
        parts = tuple(part for part in PortfolioPart.values if part in (params.get("parts") or []))
        return cls(
            parts=parts,
            introduction=str(params.get("introduction", ""))[:INTRODUCTION_LENGTH],
            employer=str(params.get("employer", ""))[:NAME_LENGTH],
            interviewer=str(params.get("interviewer", ""))[:NAME_LENGTH],
        )


def _iso(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.isoformat()


def _post(user) -> dict:
    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is None:
        return {}
    return {
        "job_title": profile.job_title,
        "council": profile.council.name if profile.council else "",
        "employer": profile.employer,
        "employment_status": str(profile.get_employment_status_display()) if profile.employment_status else "",
        "category": str(profile.get_category_display()) if profile.category else "",
        "filiere": str(profile.get_filiere_display()) if profile.filiere else "",
        "grade": profile.grade,
        "started_on": _iso(profile.started_on),
        "time_share": profile.time_share,
        "placement": str(profile.get_placement_display()) if profile.placement else "",
    }


def _missions(user) -> list[dict]:
    version = FrameworkVersion.objects.current()
    titles = dict(Mission.objects.of(version).values_list("code", "title")) if version else {}
    orders = dict(Mission.objects.of(version).values_list("code", "order")) if version else {}
    declarations = MissionDeclaration.objects.of_user(user).values_list("mission_code", "time_share")
    rows = [
        {"code": code, "title": titles.get(code, ""), "time_share": share}
        for code, share in declarations
        if code in titles or not version
    ]
    return sorted(rows, key=lambda row: (orders.get(row["code"], 0), row["code"]))


def _level_row(row) -> dict:
    return {
        "code": row.code,
        "title": row.title,
        "domain": row.domain_title,
        "level": row.level,
        "level_label": row.level_label,
        "expected": row.expected,
        "expected_label": row.expected_label,
        "gap": row.gap,
        "not_concerned": row.not_concerned,
    }


def _levels(comparison) -> dict:
    return {
        "reference": str(PlanReference(comparison.reference).label),
        "source": comparison.source,
        "scale": [{"value": value, "label": label} for value, label in comparison.scale],
        "rows": [_level_row(row) for row in comparison.rows],
        "unexpected": [_level_row(row) for row in comparison.unexpected if row.level is not None],
    }


def _evidence(comparison) -> list[dict]:
    return [
        {"code": row.code, "title": row.title, "evidence": row.evidence}
        for row in [*comparison.rows, *comparison.unexpected]
        if row.evidence.strip()
    ]


def _trainings(user) -> list[dict]:
    completions = TrainingCompletion.objects.filter(user=user).select_related("training")
    return [
        {
            "title": completion.training.title,
            "provider": completion.training.provider,
            "completed_on": _iso(completion.completed_on),
            "duration_hours": float(completion.training.duration_hours)
            if completion.training.duration_hours is not None
            else None,
            "review": completion.review,
        }
        for completion in completions
    ]


def _plan(user, titles: dict[str, str]) -> dict:
    plan = DevelopmentPlan.objects.filter(user=user).first()
    if plan is None:
        return {"priorities": [], "actions": []}
    return {
        "priorities": [
            {"code": priority.code, "title": titles.get(priority.code, ""), "note": priority.note}
            for priority in plan.priorities.all()
        ],
        "actions": [
            {
                "title": action.title,
                "kind": str(action.get_kind_display()),
                "status": str(action.get_status_display()),
                "code": action.code,
                "target_date": _iso(action.target_date),
                "done_on": _iso(action.done_on),
            }
            for action in plan.actions.all()
        ],
    }


def _contributions(user) -> dict:
    suggestions = (
        Suggestion.objects.filter(author=user, status=SuggestionStatus.ACCEPTED, section__fiche__slug=COMMON_FICHE_SLUG)
        .select_related("section")
        .only("decided_at", "section__title")
        .order_by("-decided_at", "-pk")[:CONTRIBUTIONS_SHOWN]
    )
    # Texts written directly on the common fiche (an accepted suggestion is listed above once).
    revisions = (
        Revision.objects.filter(
            author=user,
            section__fiche__slug=COMMON_FICHE_SLUG,
            source__in=[RevisionSource.CREATED, RevisionSource.EDIT],
        )
        .select_related("section")
        .only("created_at", "summary", "section__title")
        .order_by("-created_at", "-pk")[:CONTRIBUTIONS_SHOWN]
    )
    resources = Resource.objects.published().filter(pk__in=Resource.objects.authored_by(user).values("pk"))
    resources = resources.only("title", "kind", "published_at").order_by("-published_at", "-pk")[:CONTRIBUTIONS_SHOWN]
    return {
        "suggestions": [
            {"section": suggestion.section.title, "decided_on": _iso(suggestion.decided_at)}
            for suggestion in suggestions
        ],
        "revisions": [
            {"section": revision.section.title, "date": _iso(revision.created_at), "summary": revision.summary}
            for revision in revisions
        ],
        "resources": [
            {
                "title": resource.title,
                "kind": str(resource.get_kind_display()),
                "published_on": _iso(resource.published_at),
            }
            for resource in resources
        ],
    }


def portfolio_content(*, user, choice: PortfolioChoice, today=None) -> dict:
    """The portfolio of `user` with the parts of `choice`, as plain data (the documented JSON structure)."""
    parts = set(choice.parts)
    content = {
        "format": PORTFOLIO_FORMAT,
        "version": PORTFOLIO_VERSION,
        "generated_on": (today or timezone.localdate()).isoformat(),
        "member": {"name": user.display_name},
        "employer": choice.employer,
        "interviewer": choice.interviewer,
        "introduction": choice.introduction,
        "parts": [part for part in PortfolioPart.values if part in parts],
    }
    comparison = None
    if parts & {PortfolioPart.LEVELS, PortfolioPart.EVIDENCE, PortfolioPart.PLAN}:
        plan = DevelopmentPlan.objects.filter(user=user).only("reference").first()
        comparison = level_comparison(user=user, reference=plan.reference if plan else PlanReference.COMMON)
    if PortfolioPart.POST in parts:
        content["post"] = _post(user)
    if PortfolioPart.MISSIONS in parts:
        content["missions"] = _missions(user)
    if PortfolioPart.LEVELS in parts:
        content["levels"] = _levels(comparison)
    if PortfolioPart.EVIDENCE in parts:
        content["evidence"] = _evidence(comparison)
    if PortfolioPart.TRAININGS in parts:
        content["trainings"] = _trainings(user)
    if PortfolioPart.PLAN in parts:
        content["plan"] = _plan(user, comparison.titles)
    if PortfolioPart.CONTRIBUTIONS in parts:
        content["contributions"] = _contributions(user)
    return content


# --- The chart of levels (drawn by templates/training/portfolio/includes.html#levels-chart) --------


def levels_chart(levels: dict) -> dict | None:
    """Geometry of a chart: one line per competence, the member's level as a bar, the expected level as a mark."""
    rows = [row for row in levels.get("rows", []) if row["level"] is not None or row["expected"] is not None]
    top = max([item["value"] for item in levels.get("scale", [])] or [0])
    if not rows or not top:
        return None
    label_room, width, line, bar = 120, 560, 26, 14
    room = width - label_room - 20
    items = []
    for index, row in enumerate(rows):
        y = 10 + index * line
        level = row["level"] or 0
        items.append(
            {
                "code": row["code"],
                "text_y": y + 11,
                "bar_y": y,
                "bar_width": round(room * level / top),
                "expected_x": label_room + round(room * (row["expected"] or 0) / top),
                "has_expected": row["expected"] is not None,
                "below": (row["gap"] or 0) > 0,
                "value_text": "—" if row["level"] is None else str(level),
            }
        )
    ticks = [{"x": label_room + round(room * value / top), "value": value} for value in range(top + 1)]
    height = 10 + len(rows) * line + 24
    parts = [
        f"{row['code']} : "
        + (_("non évalué") if row["level"] is None else _("niveau %(level)s") % {"level": row["level"]})
        + (_(", attendu %(expected)s") % {"expected": row["expected"]} if row["expected"] is not None else "")
        for row in rows
    ]
    return {
        "width": width,
        "height": height,
        "label_room": label_room,
        "bar_height": bar,
        "items": items,
        "ticks": ticks,
        "axis_y": height - 20,
        "title": _("Mes niveaux au regard des niveaux attendus"),
        "desc": "; ".join(parts) + ".",
    }


# --- The PDF ------------------------------------------------------------------------------------


def portfolio_document(params: dict) -> PdfDocument:
    """The portfolio for the parameters of an export (built by the worker, in the export's language)."""
    user = get_user_model().objects.select_related("profile").get(pk=params["user"])
    choice = PortfolioChoice.from_params(params)
    today = timezone.localdate()
    return PdfDocument(
        template_name="pdf/training_portfolio.html",
        context=lambda: portfolio_pdf_context(user=user, choice=choice, today=today),
        filename=f"portfolio-{today.isoformat()}.pdf",
    )


def portfolio_register_pdf() -> None:
    """Declare the portfolio's background PDF (from TrainingConfig.ready)."""
    pdf_export_register(
        PORTFOLIO_EXPORT, label=_lazy("Portfolio pour l'entretien annuel"), build=portfolio_document, personal=True
    )


PART_ANCHORS = {
    PortfolioPart.POST: "poste",
    PortfolioPart.MISSIONS: "missions",
    PortfolioPart.LEVELS: "niveaux",
    PortfolioPart.EVIDENCE: "preuves",
    PortfolioPart.TRAININGS: "formations",
    PortfolioPart.PLAN: "plan",
    PortfolioPart.CONTRIBUTIONS: "contributions",
}


def portfolio_pdf_context(*, user, choice: PortfolioChoice, today) -> dict:
    content = portfolio_content(user=user, choice=choice, today=today)
    name = content["member"]["name"]
    extra_meta = [(_("Membre"), name)]
    if choice.employer:
        extra_meta.append((_("Employeur"), choice.employer))
    if choice.interviewer:
        extra_meta.append((_("Entretien avec"), choice.interviewer))
    toc = []
    if choice.introduction:
        toc.append({"anchor": "introduction", "title": _("Introduction")})
    toc += [{"anchor": PART_ANCHORS[part], "title": str(PortfolioPart(part).label)} for part in content["parts"]]
    return {
        "doc": {
            "title": _("Portfolio de compétences"),
            "kicker": _("Pour l'entretien professionnel annuel"),
            "subtitle": name,
            "author": NETWORK_NAME,
            "description": _("Portfolio de compétences de %(name)s") % {"name": name},
            "keywords": _("portfolio, compétences, entretien professionnel, conseil de développement"),
            "version_display": _("Document personnel composé par le membre"),
            "running_version": name,
            "date": today,
            "date_iso": today.isoformat(),
            "is_draft": False,
            "extra_meta": extra_meta,
            "notice": _(
                "Document composé par le ou la technicien·ne sur la plateforme du réseau (%(network)s) : "
                "les niveaux sont auto-évalués."
            )
            % {"network": NETWORK_NAME},
        },
        "toc": toc,
        "content": content,
        "chart": levels_chart(content["levels"]) if "levels" in content else None,
    }
