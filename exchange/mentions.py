"""@mentions in questions and answers: which members a text names, how they are linked in the rendered text,
and their notification (once per post and member, whatever the later edits). Owned by the "network" area.

The syntax members type, without any script: `@prenom-nom`, the member's handle. A handle is the display name
in lower case without accents, words joined by hyphens (`@zoe-martin` for "Zoé Martin"). When several approved
members would share one, the earliest account keeps it and the next ones get `-2`, `-3`… (`@zoe-martin-2`). The
page « Mentionner un membre » (exchange:mention_search) finds a member's handle by name, council or territory.
Only approved accounts are ever mentioned: a handle of a pending, refused or erased account stays plain text.
Typing is forgiving: capitals and accents are folded (`@Zoé-Martin` names the same member).
"""

import re

from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import generations
from training.generations import NETWORK

# `@` not preceded by a word character, a dot, a slash or another `@` (addresses, URLs), then words joined by
# hyphens. The trailing hyphen or dot of a sentence is left out.
MENTION = re.compile(r"(?<![\w@./])@(\w+(?:-\w+)*)", re.UNICODE)
# Mentions in these elements are not mentions: code shows text as typed, a link already goes somewhere.
_SKIPPED = {"a", "code", "pre"}
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")
# A post naming more members than this is not a way to reach the whole network at once.
MAX_MENTIONS = 20


def handle_base(display_name: str) -> str:
    """The handle a display name gives before any collision suffix."""
    return slugify(display_name or "") or "membre"


HANDLES_KEY = "exchange:handles:v1"
HANDLES_SECONDS = 10 * 60


def handles_of_members() -> dict[str, int]:
    """Every approved member's handle → their user id: kept until an account or a profile changes (the
    generation NETWORK of training.generations; at most HANDLES_SECONDS after a bulk change that says nothing),
    computed in one query (two columns of the approved accounts) otherwise."""
    stamp, handles = generations.cached(HANDLES_KEY, [NETWORK])
    if handles is None:
        handles = _handles_of_members()
        generations.store(HANDLES_KEY, stamp, handles, HANDLES_SECONDS)
    return handles


def _handles_of_members() -> dict[str, int]:
    from members.models import Profile

    rows = (
        Profile.objects.approved()
        .filter(user__erased_at__isnull=True)
        .order_by("user_id")
        .values_list("user_id", "display_name")
    )
    handles: dict[str, int] = {}
    for user_id, display_name in rows:
        base = handle_base(display_name)
        handle, number = base, 1
        while handle in handles:
            number += 1
            handle = f"{base}-{number}"
        handles[handle] = user_id
    return handles


def handle_of(user_id: int, handles: dict[str, int] | None = None) -> str | None:
    """The handle of one approved member (None for any other account)."""
    if handles is not None:
        return next((handle for handle, pk in handles.items() if pk == user_id), None)
    # Kept per member under the same generation as every handle: a profile page reads one short entry, not
    # the whole network's handles ("" for an account with none).
    key = f"exchange:handle:v1:{user_id}"
    stamp, handle = generations.cached(key, [NETWORK])
    if handle is None:
        handle = handle_of(user_id, handles_of_members()) or ""
        generations.store(key, stamp, handle, HANDLES_SECONDS)
    return handle or None


def fold(handle: str) -> str:
    """A typed handle as stored: lower case, accents removed (`Zoé-Martin` → `zoe-martin`)."""
    return slugify(handle)


def _text_segments(html: str):
    """Yield (segment, is_text_to_scan) for `html`: tags and text inside a, code, pre are not scanned."""
    depth = 0
    for segment in _TAG.split(html):
        if not segment:
            continue
        if segment.startswith("<"):
            match = _TAG_NAME.match(segment)
            if match and match.group(2).lower() in _SKIPPED and not segment.endswith("/>"):
                depth = max(depth - 1, 0) if match.group(1) else depth + 1
            yield segment, False
        else:
            yield segment, depth == 0


def mentioned_handles(html: str) -> list[str]:
    """The folded handles `html` mentions (outside links and code), in order, each once."""
    found: dict[str, None] = {}
    for segment, scan in _text_segments(html):
        if scan and "@" in segment:
            for match in MENTION.finditer(segment):
                found.setdefault(fold(match.group(1)), None)
    return list(found)


def mentions_render(html: str) -> str:
    """`html` (already sanitised) with each mention of an approved member turned into a link to their profile."""
    if "@" not in html or not mentioned_handles(html):
        return html
    handles = handles_of_members()

    def link(match):
        user_id = handles.get(fold(match.group(1)))
        if user_id is None:
            return match.group(0)
        url = reverse("members:detail", args=[user_id])
        return f'<a href="{escape(url)}" class="mention">{match.group(0)}</a>'

    return "".join(
        MENTION.sub(link, segment) if scan and "@" in segment else segment for segment, scan in _text_segments(html)
    )


def mentioned_user_ids(text: str) -> list[int]:
    """The approved members a post's text (Markdown) mentions, in order, at most MAX_MENTIONS."""
    from fiches.rendering import render_markdown

    if "@" not in (text or ""):
        return []
    handles = mentioned_handles(render_markdown(text))
    if not handles:
        return []
    known = handles_of_members()
    ids = list(dict.fromkeys(known[handle] for handle in handles if handle in known))
    return ids[:MAX_MENTIONS]


def mentions_apply(post, *, actor) -> None:
    """Record the members `post` (a Question or an Answer) mentions and notify those not yet notified for it."""
    from exchange.models import Answer, Block, Mention, Question
    from fiches.notifications import notify

    user_ids = [pk for pk in mentioned_user_ids(post.body) if pk != post.author_id]
    if not user_ids:
        return
    is_answer = isinstance(post, Answer)
    owner = {"answer": post} if is_answer else {"question": post}
    with transaction.atomic():
        already = set(Mention.objects.filter(**owner).values_list("user_id", flat=True))
        new_ids = [pk for pk in user_ids if pk not in already]
        if not new_ids:
            return
        Mention.objects.bulk_create([Mention(user_id=pk, **owner) for pk in new_ids], ignore_conflicts=True)
        question = post.question if is_answer else post
        assert isinstance(question, Question)
        if post.hidden_at is not None or question.hidden_at is not None:
            return  # the team hid it: a notification would lead to a placeholder
        # Who blocked the author is not told (the author is not told either).
        blockers = set(
            Block.objects.filter(blocked_id=post.author_id, blocker_id__in=new_ids).values_list("blocker_id", flat=True)
        )
        recipients = {pk for pk in new_ids if pk not in blockers}
        if not recipients:
            return
        if is_answer:
            message = _("Vous a mentionné·e dans une réponse à « %(title)s ».")
        else:
            message = _("Vous a mentionné·e dans la question « %(title)s ».")
        notify(
            user_ids=recipients,
            actor=actor,
            message=message % {"title": _short(question.title)},
            url=post.get_absolute_url(),
        )


def _short(title: str, length: int = 120) -> str:
    return title if len(title) <= length else title[: length - 1] + "…"
