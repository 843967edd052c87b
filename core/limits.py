"""How much one person can make the server do: the length of what they type, the pace of previews.

- Lengths: every form field that takes free text has a `max_length`, checked before any other work
  (Django's CharField refuses a longer value with its own French message). A model's TextField has
  no limit in the database, so the ModelForms built on one name theirs with `text_limits`;
  tests/core/test_input_limits.py fails on any text field left without one.
- Previews: a preview (a diff, a file read before import) is work done for nothing stored, so each
  account gets `PREVIEWS_PER_MINUTE` of each kind (the setting of that name, 30 by default); past
  that, the view answers 429 with `PREVIEW_LIMIT_MESSAGE` and keeps what was typed.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

PREVIEWS_PER_MINUTE = 30
PREVIEW_LIMIT_MESSAGE = _("Trop d'aperçus demandés en une minute : patientez un instant avant de recommencer.")


def text_limits(**max_lengths: int) -> Callable:
    """A ModelForm `Meta.formfield_callback` giving the named model fields (TextFields) a `max_length`."""

    def formfield(model_field, **kwargs):
        if model_field.name in max_lengths:
            kwargs["max_length"] = max_lengths[model_field.name]
        return model_field.formfield(**kwargs)

    return formfield


def rate_limit_consume(*, action: str, key: str, limit: int, period: int = 60) -> bool:
    """Count one use of `action` by `key`; False once `limit` uses already fell in this `period` (seconds).

    Fixed windows in the shared cache (Redis in production, the database otherwise), so every worker
    counts together. The database cache's increment is not atomic: under simultaneous requests a
    few extra may pass, which a limit meant to stop floods can afford.
    """
    window = int(time.time() // period)
    cache_key = f"rate-limit:{action}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period * 2)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the entry expired between add and incr
        cache.set(cache_key, 1, timeout=period * 2)
        count = 1
    return count <= limit


def preview_allowed(request, action: str) -> bool:
    """Whether the person behind `request` may have one more preview of this kind this minute."""
    limit = getattr(settings, "PREVIEWS_PER_MINUTE", PREVIEWS_PER_MINUTE)
    return rate_limit_consume(action=action, key=str(request.user.pk), limit=limit, period=60)
