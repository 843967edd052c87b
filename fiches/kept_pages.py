"""Members' pages of the fiche kept rendered between two changes (issue 22: the load test's fiche, 120 members
opening it within ten seconds, and its suggestions' pages).

The working draft (`fiche_draft`): its title, latest published version, table of contents and sections (their
current texts, their open suggestions' counts) are the same for every member, one rendering for the members and
one for the CNCD team (its own links); kept per fiche, role and language under fiches.caching's DRAFT (fiches,
sections, revisions, versions) and SUGGESTIONS (any suggestion saved or deleted: the counts). The visitor's
follow button is rendered at each request and put in.

A suggestion's page (`suggestion_parts`): the proposal (its state, author, rationale and the diffs of its text)
and the discussion (its messages and the new message form), as a member sees them who is neither its author
nor the author of a message there, nor of the CNCD team; kept per suggestion and language with the number of
supports, who wrote messages and whether accepting is blocked. The author (their own update links), the
authors of messages (no "Signaler" on their own) and the team (hidden messages, moderation links) get their
parts rendered for them at each request; the follow and support buttons and the decision form always are.
Freshness: `suggestion_generation(pk)`, bumped by every save or deletion of the suggestion, its supports, its
messages and the revision it became (`connect`); fiches.caching's PEOPLE for the names; the entry also checks
what the request reads anyway (the suggestion's lock version and status, its base and the section's current
revision).

Entries live ten minutes at most (devtools' bulk writes send no signal); the templates' versions are part of
their stamps. Forms in what is kept carry a placeholder for the CSRF token, the visitor's own put back.
"""

import os
from dataclasses import dataclass
from functools import cache

from django.db.models.signals import post_delete, post_save
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.generations import CSRF_PLACEHOLDER, bump, cached, packed, store, unpacked, with_csrf_token
from fiches.caching import DRAFT, PEOPLE

SECONDS = 600
VERSION = "v1"  # change it when what is kept changes shape
TEMPLATE = "fiches/suggestion_detail.html"
DRAFT_TEMPLATE = "fiches/fiche_draft.html"
SUGGESTIONS = "fiches:suggestions"  # any suggestion saved or deleted: the draft's counts of open ones
# Where the visitor's own follow button goes in a kept draft (a raw "<" never comes out of escaped text).
FOLLOW_PLACEHOLDER = mark_safe("<follow-button/>")


@cache
def _template_version(name: str) -> float:
    """A template's modification time, read once per process: a deployed change reads new entries."""
    try:
        return os.path.getmtime(get_template(name).origin.name)
    except OSError:
        return 0.0


def _key(*parts) -> str:
    return ":".join(["fiches:kept", VERSION, *(str(part) for part in parts), get_language() or "fr"])


def fiche_draft(request, fiche, *, context, follow_button: str) -> SafeString:
    """The working draft of `fiche` as the visitor's role sees it, with their `follow_button`; `context()` gives
    what rendering it needs (the latest published version, the sections with their current revisions and
    open suggestions' counts)."""
    role = "team" if request.user.is_curator else "members"
    key = _key("draft", fiche.pk, role)
    stamp, kept = cached(key, [DRAFT, SUGGESTIONS], facts=(_template_version(DRAFT_TEMPLATE),))
    if kept is not None:
        html = unpacked(kept)
    else:
        values = {"fiche": fiche, **context(), "follow_button": FOLLOW_PLACEHOLDER, "csrf_token": CSRF_PLACEHOLDER}
        html = render_to_string(f"{DRAFT_TEMPLATE}#draft", values, request=request)
        store(key, stamp, packed(html), SECONDS)
    return with_csrf_token(request, html.replace(FOLLOW_PLACEHOLDER, follow_button))


def suggestion_generation(suggestion_id) -> str:
    return f"fiches-suggestion:{suggestion_id}"


@dataclass(frozen=True)
class SuggestionParts:
    """The parts of a suggestion's page rendered for one visitor, and what the rest of the page needs."""

    proposal: SafeString
    discussion: SafeString
    support_count: int
    accept_blocked: bool


def suggestion_parts(request, suggestion, *, context) -> SuggestionParts:
    """The proposal and discussion of `suggestion` (loaded with its section) for `request.user`: kept for the
    members who take no part in it, rendered for the others; `context()` gives what rendering them needs."""
    user = request.user
    key = _key("suggestion", suggestion.pk)
    facts = (suggestion.lock_version, suggestion.status, suggestion.base_revision_id)
    facts += (suggestion.section.current_revision_id, _template_version(TEMPLATE))
    stamp, kept = cached(key, [suggestion_generation(suggestion.pk), PEOPLE], facts=facts)
    is_author = suggestion.author_id == user.pk
    if kept is not None and not is_author and not user.is_curator and user.pk not in kept["commenters"]:
        return SuggestionParts(
            proposal=with_csrf_token(request, unpacked(kept["proposal"])),
            discussion=with_csrf_token(request, unpacked(kept["discussion"])),
            support_count=kept["support_count"],
            accept_blocked=kept["accept_blocked"],
        )
    values = context()
    commenters = {comment.author_id for thread in values["threads"] for comment in [thread, *thread.replies.all()]} - {
        None
    }
    values |= {"is_author": is_author}
    full = values["suggestion"]
    rebase = values["rebase"]
    parts = SuggestionParts(
        proposal=render_to_string(f"{TEMPLATE}#proposal", values, request=request),
        discussion=render_to_string(f"{TEMPLATE}#discussion", values, request=request),
        support_count=full.support_count,
        accept_blocked=bool(full.is_outdated and not (rebase is not None and rebase.clean)),
    )
    if not is_author and not user.is_curator and user.pk not in commenters:
        # What this member sees is what every member who takes no part sees: kept, with a placeholder token.
        plain = values | {"csrf_token": CSRF_PLACEHOLDER}
        entry = {
            "proposal": packed(render_to_string(f"{TEMPLATE}#proposal", plain, request=request)),
            "discussion": packed(render_to_string(f"{TEMPLATE}#discussion", plain, request=request)),
            "commenters": commenters,
            "support_count": parts.support_count,
            "accept_blocked": parts.accept_blocked,
        }
        store(key, stamp, entry, SECONDS)
    return parts


# Bumping ----------------------------------------------------------------------------------------------------


def _suggestion_changed(sender, instance, **kwargs):
    bump(suggestion_generation(instance.pk), SUGGESTIONS)


def _part_changed(sender, instance, **kwargs):
    # A support or a message; a revision only when it is what a suggestion became.
    if instance.suggestion_id:
        bump(suggestion_generation(instance.suggestion_id))


def connect() -> None:
    """Bump the generations on every save or deletion of what the kept pages show (FichesConfig.ready)."""
    from fiches.models import Comment, Revision, Suggestion, Support

    for model, receiver in [
        (Suggestion, _suggestion_changed),
        *[(m, _part_changed) for m in (Support, Comment, Revision)],
    ]:
        uid = f"fiches.kept_pages:{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(receiver, sender=model, dispatch_uid=uid + ":delete")
