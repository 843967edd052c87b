"""An undefined variable printed by one of the project's templates fails the test that rendered it.

Django renders an undefined variable as an empty string and says so only in a DEBUG line of the
`django.template` logger ("Exception while resolving variable …"). `UndefinedVariables` filters
that logger's lines and keeps those that are mistakes:

- the variable is printed (`{{ x }}`) or passed to a tag (`{% url … x %}`, `{% with %}`,
  `{% include … with %}`); a test in `{% if %}`, `{% for %}` or `{% firstof %}` asks whether it is
  there, which is fine;
- it has no `|default`: a template that writes `{{ x|default:"" }}` declares that x may be absent;
- the template is one of the project's own (templates/ or an app of the project): allauth's,
  crispy-forms' and Django's own templates (the admin, form widgets) are not ours to fix.

Why not a `string_if_invalid` that raises: with a non-empty one, Django skips the filters (so
`|default` stops working) and a failed related lookup (`user.profile` without a profile) becomes
truthy in `{% if %}`. Listening changes nothing in what is rendered.
"""

import logging
import sys
from pathlib import Path

from django.conf import settings
from django.template.base import FilterExpression, Variable, VariableDoesNotExist

# Filters that say "this variable may be absent".
TOLERATING_FILTERS = frozenset({"default"})


def project_template_dirs() -> tuple[str, ...]:
    """Where the project's own templates live: templates/ and each project app's templates/."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = [base / "templates"]
    dirs += [path for path in base.glob("*/templates") if path.is_dir() and ".venv" not in path.parts]
    return tuple(f"{path}/" for path in dirs)


class UndefinedVariables(logging.Filter):
    """Collects the undefined variables printed by the project's templates while it is installed.

    A filter on the `django.template` logger, not a handler: it sees each line before any handler,
    and drops the DEBUG lines it had to enable, so that no handler (pytest's capture included) prints them.
    """

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._ours = project_template_dirs()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.DEBUG and record.exc_info:
            self._check(record.exc_info[1])
        return record.levelno > logging.DEBUG or self._debug_was_on

    def _check(self, error: BaseException) -> None:
        if not isinstance(error, VariableDoesNotExist):
            return  # a failed related lookup or a property that raised: Django's own rule applies
        frame_locals = _resolving_expression(sys._getframe())
        if frame_locals is None:
            return  # a tag that resolves a Variable itself and handles its absence (crispy, cycle…)
        if frame_locals["ignore_failures"]:
            return  # {% if %}, {% for %}, {% firstof %}: asking whether it is there
        filters = frame_locals["self"].filters
        if filters and filters[0][0].__name__ in TOLERATING_FILTERS:
            return
        origin = getattr(getattr(frame_locals["context"].render_context, "template", None), "origin", None)
        name = str(getattr(origin, "name", None) or "")
        if not name.startswith(self._ours):
            return
        self.found.append(f"{{{{ {frame_locals['self'].token} }}}} dans {origin.template_name or name}")

    def __enter__(self):
        self._logger = logging.getLogger("django.template")
        self._saved_level = self._logger.level
        self._debug_was_on = self._logger.isEnabledFor(logging.DEBUG)
        self._logger.setLevel(logging.DEBUG)
        # Nested, the innermost collects alone (a test of this module checks what it finds).
        self._outer = [known for known in self._logger.filters if isinstance(known, UndefinedVariables)]
        for known in self._outer:
            self._logger.removeFilter(known)
        self._logger.addFilter(self)
        return self

    def __exit__(self, *exc):
        self._logger.removeFilter(self)
        for known in self._outer:
            self._logger.addFilter(known)
        self._logger.setLevel(self._saved_level)


def _resolving_expression(frame) -> dict | None:
    """The locals of the FilterExpression.resolve call behind this log line, if one is."""
    while frame is not None and frame.f_code is not Variable._resolve_lookup.__code__:
        frame = frame.f_back
    # _resolve_lookup ← Variable.resolve ← whoever asked.
    caller = frame.f_back.f_back if frame is not None and frame.f_back is not None else None
    if caller is None or caller.f_code is not FilterExpression.resolve.__code__:
        return None
    return caller.f_locals
