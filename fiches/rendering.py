"""From what people type to what a page shows: Markdown made safe, référentiel codes resolved.

Free-text sections are Markdown rendered to HTML and sanitised with an allow-list (nh3): no raw
HTML, no images, links only to http, https or mailto with rel="noopener nofollow". Structured
sections hold one référentiel code per line; they are written back in a canonical, readable form
(code, title, level) so that diffs between revisions read naturally.
"""

import re
from dataclasses import dataclass, field

import nh3
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from fiches.enums import SectionKind

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "s", "del", "ins", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"scope"}}
_ALLOWED_SCHEMES = {"http", "https", "mailto"}
_SAFE_HREF = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def _shift_headings(state):
    # The page gives the fiche an h1 and each section an h2: headings in a text start at h3.
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


_markdown = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("image")
_markdown.core.ruler.push("shift_headings", _shift_headings)


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href":
        return value if _SAFE_HREF.match(value.strip()) else None
    return value


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags and attributes; links get rel="noopener nofollow"."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_ALLOWED_SCHEMES,
        link_rel="noopener nofollow",
        attribute_filter=_keep_attribute,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML, safe to show as is."""
    return sanitise_html(_markdown.render(text or ""))


# Structured sections -------------------------------------------------------------------------

_LINE = re.compile(r"^\s*[-*]?\s*(?P<code>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?::\s*)?(?:niveau\s*)?(?P<level>\d+)?", re.I)


@dataclass
class FrameworkLookup:
    """The published référentiel, by code: loaded once, in a few queries."""

    label: str = ""
    missions: dict = field(default_factory=dict)
    activities: dict = field(default_factory=dict)
    competences: dict = field(default_factory=dict)
    levels: dict = field(default_factory=dict)

    @classmethod
    def current(cls) -> "FrameworkLookup | None":
        from competences.models import Competence, FrameworkVersion, ScaleLevel
        from missions.models import Activity, Mission

        version = FrameworkVersion.objects.current()
        if version is None:
            return None
        return cls(
            label=version.label,
            missions={m.code: m for m in Mission.objects.of(version).order_by("order", "code")},
            activities={a.code: a for a in Activity.objects.of(version).order_by("order", "code")},
            competences={c.code: c for c in Competence.objects.of(version).order_by("order", "code")},
            levels={level.value: level.label for level in ScaleLevel.objects.of(version)},
        )


class StructuredError(ValueError):
    """A structured section names codes or levels the published référentiel does not know."""


@dataclass(frozen=True)
class StructuredLine:
    """One line of a structured section: a référentiel code and, for a competence, the level expected."""

    code: str
    level: int | None = None


def parse_structured(text: str, *, strict: bool = True) -> list[StructuredLine]:
    """The code and level of each line of a structured section body, in order.

    An illegible line raises StructuredError, or is left out when not `strict` (readers of stored
    bodies, such as the dashboard, which must not fail on a line written before a rule changed).
    """
    lines = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match:
            lines.append(StructuredLine(match["code"], int(match["level"]) if match["level"] else None))
        elif strict:
            raise StructuredError(_("Ligne illisible : « %(line)s ».") % {"line": line.strip()[:80]})
    return lines


def normalise_structured(kind: str, text: str, lookup: FrameworkLookup | None) -> str:
    """Rewrite a structured section as canonical lines, or raise StructuredError with a French message."""
    if lookup is None:
        raise StructuredError(_("Aucun référentiel n'est publié : cette section ne peut pas encore être rédigée."))
    lines, unknown, seen = [], [], set()
    for parsed in parse_structured(text):
        code, level = parsed.code, parsed.level
        if code in seen:
            continue
        seen.add(code)
        if kind == SectionKind.MISSIONS:
            item = lookup.missions.get(code) or lookup.activities.get(code)
            if item is None:
                unknown.append(code)
                continue
            lines.append(f"{code} — {item.title}")
        else:
            competence = lookup.competences.get(code)
            if competence is None:
                unknown.append(code)
                continue
            if level is None or level not in lookup.levels:
                raise StructuredError(
                    _("Indiquez pour %(code)s un niveau attendu parmi : %(levels)s.")
                    % {"code": code, "levels": ", ".join(str(value) for value in sorted(lookup.levels))}
                )
            lines.append(f"{code} : niveau {level} — {competence.title} ({lookup.levels[level]})")
    if unknown:
        raise StructuredError(
            _("Codes inconnus dans le référentiel %(label)s : %(codes)s.")
            % {"label": lookup.label, "codes": ", ".join(unknown)}
        )
    return "\n".join(lines)


def referentiel_url(lookup: FrameworkLookup, kind: str, code: str) -> str:
    """The référentiel page of a code ("mission", "activity", "competence"), in the version the lookup read."""
    return reverse(f"referentiel:{kind}", args=[lookup.label, code])


def render_structured(kind: str, text: str, lookup: FrameworkLookup | None) -> str:
    """HTML of a structured section: missions with their retained activities, or competences with levels."""
    if lookup is None:
        return ""
    parsed = parse_structured(text)
    if kind == SectionKind.MISSIONS:
        codes = {line.code for line in parsed}
        retained = {a.mission_id for a in lookup.activities.values() if a.code in codes}
        blocks = []
        for mission in lookup.missions.values():
            if mission.code not in codes and mission.pk not in retained:
                continue
            activities = [a for a in lookup.activities.values() if a.mission_id == mission.pk and a.code in codes]
            items = format_html_join(
                "",
                '<li><a href="{}"><span class="fiche-code">{}</span> {}</a></li>',
                ((referentiel_url(lookup, "activity", a.code), a.code, a.title) for a in activities),
            )
            blocks.append(
                format_html(
                    '<h3><a href="{}"><span class="fiche-code">{}</span> {}</a></h3>{}',
                    referentiel_url(lookup, "mission", mission.code),
                    mission.code,
                    mission.title,
                    format_html('<ul class="fiche-activities">{}</ul>', items) if activities else "",
                )
            )
        return "".join(blocks)
    rows = []
    for line in parsed:
        competence = lookup.competences.get(line.code)
        if competence is None:
            continue
        level = "" if line.level is None else line.level
        rows.append(
            (
                referentiel_url(lookup, "competence", line.code),
                line.code,
                competence.title,
                competence.get_kind_display(),
                level,
                lookup.levels.get(level, ""),
            )
        )
    if not rows:
        return ""
    body = format_html_join(
        "",
        '<tr><th scope="row"><a href="{}"><span class="fiche-code">{}</span> {}</a></th><td>{}</td><td>{} {}</td></tr>',
        rows,
    )
    return format_html(
        '<table class="table table-sm fiche-competences"><caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("Compétences requises et niveau attendu"),
        _("Compétence"),
        _("Nature"),
        _("Niveau attendu"),
        body,
    )


def prepare_body(kind: str, text: str, lookup: FrameworkLookup | None = None) -> tuple[str, str]:
    """(stored text, HTML) for a section body of `kind`; raises StructuredError for bad codes."""
    text = (text or "").replace("\r\n", "\n").strip()
    if kind == SectionKind.TEXT:
        return text, render_markdown(text)
    if lookup is None:
        lookup = FrameworkLookup.current()
    text = normalise_structured(kind, text, lookup)
    return text, render_structured(kind, text, lookup)
