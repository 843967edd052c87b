"""Authorization matrix rows of the exchange app's network area: follows, mentions, peers
(read by tests/core/test_authorization_matrix.py)."""

from tests.core.authorization import Case, members, members_post_only

QUESTION = {"pk": "{network_question}"}

CASES: dict[str, Case | tuple[Case, ...]] = {
    "exchange:follows": members(),
    "exchange:follow_space": members_post_only(kwargs={"slug": "{network_space}"}),
    "exchange:follow_question": members_post_only(kwargs=QUESTION),
    "exchange:follow_tag": members_post_only(kwargs={"code": "C-1-01"}),
    "exchange:mention_search": (members(), members(query="q=marie")),
    "exchange:invite_peer": members_post_only(kwargs={**QUESTION, "user_id": "{network_peer}"}),
}


def samples(users) -> dict:
    """A space and a question tagged with a competence, and a peer who offers help on it."""
    from exchange.enums import TagKind
    from exchange.models import QuestionTag
    from tests.exchange.factories import QuestionFactory, SpaceFactory
    from tests.members.factories import ProfileFactory
    from training.models import MentorOffer

    space = SpaceFactory(name="Espace du réseau", slug="espace-du-reseau")
    question = QuestionFactory(space=space, author=users["member"])
    QuestionTag.objects.create(question=question, kind=TagKind.COMPETENCE, code="C-1-01", title="Animer")
    peer = ProfileFactory(display_name="Paul Pair").user
    MentorOffer.objects.get_or_create(user=peer, code="C-1-01")
    return {"network_space": space.slug, "network_question": question.pk, "network_peer": peer.pk}
