"""Template tags of the network area: the follow button's state and the question page's peers column."""

from django import template

from exchange import follows, peers

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_button_state(context, target):
    """The follow button of `target` (a Space, a Question, a QuestionTag or a code) for the page's member.

    A page listing many buttons passes `following` to the include (True/False, or "oui"/"non") when it already
    knows: no query then. It is read from the context, so that False stays False and an absent one costs nothing.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    following = context.get("following")
    known = {"oui": True, "non": False, True: True, False: False}.get(following) if following is not None else None
    state = follows.follow_state(user, target, following=known)
    return {"state": state, **follows.button_texts(state)}


@register.simple_tag(takes_context=True)
def question_peers(context, question):
    """The peers column of `question` for the page's member (None: nothing to show)."""
    request = context.get("request")
    return peers.peers_box(question, viewer=getattr(request, "user", None))
