"""Generations of what the fiches' cached readings show (core.generations: `cached`, `store`, `bump`).

- `DRAFT`: the fiches as they are being written: fiches, sections, revisions, published versions. Any save
  or deletion bumps it: the contributors of a fiche, its draft PDF;
- `PEOPLE`: how contributors are named: accounts and profiles (a name, a credit choice, an erasure). The
  lists of contributors and every PDF that prints them follow it.

The models' saves and deletions bump them (`connect`, at start-up: services, admin, imports and factories
alike). Bulk writes send no signal; what is kept under these generations also checks facts read with it
(the sections' current revisions) or lives a few minutes (`SECONDS`), so that devtools' seed_scale, which
writes in bulk, is caught up.
"""

import os
from collections.abc import Callable

from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from core.generations import CSRF_PLACEHOLDER, bump, cached, packed, store, unpacked, with_csrf_token

__all__ = ["DRAFT", "PEOPLE", "SECONDS", "cached", "connect", "kept_rendering", "key", "store"]

DRAFT, PEOPLE = "fiches:draft", "fiches:people"
SECONDS = 600


def key(*parts) -> str:
    """A cache key for a reading in the current language (names of the unnamed and the erased are translated)."""
    return ":".join(["fiches", *(str(part) for part in parts), get_language() or "fr"])


def kept_rendering(request, key: str, template_name: str, context: Callable[[], dict], *, facts=()) -> SafeString:
    """`template_name` rendered with `context()` once per state of the fiches and of the contributors' names (and
    of `facts`), then kept: a list of revisions reads the same for everyone with the same `facts`."""
    stamp, kept = cached(key, [DRAFT, PEOPLE], facts=(*facts, _template_version(template_name)))
    if kept is not None:
        html = unpacked(kept)
    else:
        # Forms in it carry a placeholder in place of the CSRF token, the visitor's own put back below.
        html = render_to_string(template_name, context() | {"csrf_token": CSRF_PLACEHOLDER}, request=request)
        store(key, stamp, packed(html), SECONDS)
    return with_csrf_token(request, html)


_template_versions: dict[str, float] = {}


def _template_version(template_name: str) -> float:
    """The template file's modification time, read once per process: a deployed change reads new entries."""
    name = template_name.partition("#")[0]
    if name not in _template_versions:
        try:
            _template_versions[name] = os.path.getmtime(get_template(name).origin.name)
        except OSError:
            _template_versions[name] = 0.0
    return _template_versions[name]


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login saves the account: no name changes
    bump(PEOPLE)


def _bumper(*names):
    def bump_names(sender, instance, **kwargs):
        bump(*names)

    return bump_names


def connect() -> None:
    """Bump the generations on every save or deletion of what they stand for (FichesConfig.ready)."""
    from fiches.models import Fiche, FicheVersion, Revision, Section, VersionEntry
    from members.models import Profile, User

    receivers = [(User, _user_saved, _bumper(PEOPLE)), (Profile, _bumper(PEOPLE), _bumper(PEOPLE))]
    for model in (Fiche, Section, Revision, FicheVersion, VersionEntry):
        receivers.append((model, _bumper(DRAFT), _bumper(DRAFT)))
    for model, on_save, on_delete in receivers:
        uid = f"fiches.caching.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid, weak=False)
