"""L'entraide's addresses, under /entraide/. Each area keeps its block (one view module per area)."""

from django.urls import path

from exchange.views import messages as message_views
from exchange.views import moderation as moderation_views
from exchange.views import network as network_views
from exchange.views import spaces as space_views

app_name = "exchange"

urlpatterns = [
    # --- Spaces, questions, answers, search, follows, peers (views/spaces.py) ---
    path("", space_views.spaces, name="spaces"),
    path("espaces/<slug:slug>/", space_views.space, name="space"),
    path("poser/", space_views.ask, name="ask"),
    path("recherche/", space_views.search, name="search"),
    path("questions/<int:pk>/", space_views.question, name="question"),
    path("questions/<int:pk>/modifier/", space_views.question_edit, name="question_edit"),
    path("questions/<int:pk>/historique/", space_views.question_history, name="question_history"),
    path("questions/<int:pk>/repondre/", space_views.answer_add, name="answer_add"),
    path("reponses/<int:pk>/modifier/", space_views.answer_edit, name="answer_edit"),
    path("reponses/<int:pk>/historique/", space_views.answer_history, name="answer_history"),
    path("reponses/<int:pk>/utile/", space_views.answer_useful, name="answer_useful"),
    path("reponses/<int:pk>/retenir/", space_views.answer_accept, name="answer_accept"),
    # --- Network: follows, mentions, peers (views/network.py) ---
    path("abonnements/", network_views.my_follows, name="follows"),
    path("abonnements/espaces/<slug:slug>/", network_views.follow_space, name="follow_space"),
    path("abonnements/questions/<int:pk>/", network_views.follow_question, name="follow_question"),
    path("abonnements/etiquettes/<str:code>/", network_views.follow_tag, name="follow_tag"),
    path("mentionner/", network_views.mention_search, name="mention_search"),
    path("questions/<int:pk>/inviter/<int:user_id>/", network_views.invite_peer, name="invite_peer"),
    # --- Private messages (views/messages.py) ---
    path("messages/", message_views.conversations, name="conversations"),
    path("messages/preferences/", message_views.preferences, name="messaging_preferences"),
    path("messages/ecrire/<int:user_id>/", message_views.conversation_start, name="conversation_start"),
    path("messages/<uuid:uuid>/", message_views.conversation, name="conversation"),
    path("messages/<uuid:uuid>/archiver/", message_views.conversation_archive, name="conversation_archive"),
    path("messages/signaler/<int:message_id>/", message_views.message_report, name="message_report"),
    path("messages/bloquer/<int:user_id>/", message_views.member_block, name="messaging_block"),
    path("messages/debloquer/<int:user_id>/", message_views.member_unblock, name="messaging_unblock"),
    # --- Moderation (views/moderation.py) ---
    path("signaler/questions/<int:pk>/", moderation_views.question_report, name="moderation_question_report"),
    path("signaler/reponses/<int:pk>/", moderation_views.answer_report, name="moderation_answer_report"),
    path("moderation/", moderation_views.queue, name="moderation"),
    path("moderation/signalements/<int:pk>/", moderation_views.report_decide, name="moderation_report"),
    path("moderation/questions/<int:pk>/masquer/", moderation_views.question_hide, name="moderation_question_hide"),
    path(
        "moderation/questions/<int:pk>/retablir/", moderation_views.question_restore, name="moderation_question_restore"
    ),
    path("moderation/questions/<int:pk>/verrouiller/", moderation_views.question_lock, name="moderation_question_lock"),
    path(
        "moderation/questions/<int:pk>/deverrouiller/",
        moderation_views.question_unlock,
        name="moderation_question_unlock",
    ),
    path("moderation/questions/<int:pk>/deplacer/", moderation_views.question_move, name="moderation_question_move"),
    path("moderation/reponses/<int:pk>/masquer/", moderation_views.answer_hide, name="moderation_answer_hide"),
    path("moderation/reponses/<int:pk>/retablir/", moderation_views.answer_restore, name="moderation_answer_restore"),
    path("moderation/messages/<int:pk>/retablir/", moderation_views.message_restore, name="moderation_message_restore"),
    path("equipe/espaces/", moderation_views.team_spaces, name="team_spaces"),
    path("equipe/espaces/nouveau/", moderation_views.team_space_create, name="team_space_create"),
    path("equipe/espaces/<int:pk>/modifier/", moderation_views.team_space_edit, name="team_space_edit"),
]
