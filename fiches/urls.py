from django.urls import path

from fiches.views import discussion, editing, history, notifications, personal, reading, suggestions, versions

app_name = "fiches"

urlpatterns = [
    path("", reading.index, name="index"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/ouvrir/", notifications.notification_open, name="notification_open"),
    path("notifications/tout-marquer-lu/", notifications.notifications_read_all, name="notifications_read_all"),
    path("moderation/", discussion.moderation, name="moderation"),
    path("ma-fiche/", personal.my_fiche, name="my_fiche"),
    path("ma-fiche/pdf/", personal.my_fiche_pdf, name="my_fiche_pdf"),
    path("ma-fiche/poste/", personal.my_fiche_edit, name="my_fiche_edit"),
    path("ma-fiche/sections/<int:pk>/", personal.my_section_edit, name="my_section_edit"),
    path("ma-fiche/sections/<int:pk>/integrer/", personal.my_section_integrate, name="my_section_integrate"),
    path("propositions/<int:pk>/", suggestions.suggestion_detail, name="suggestion"),
    path("propositions/<int:pk>/mettre-a-jour/", suggestions.suggestion_update, name="suggestion_update"),
    path("propositions/<int:pk>/soutenir/", suggestions.suggestion_support, name="suggestion_support"),
    path("propositions/<int:pk>/retirer/", suggestions.suggestion_withdraw, name="suggestion_withdraw"),
    path("propositions/<int:pk>/accepter/", suggestions.suggestion_accept, name="suggestion_accept"),
    path("propositions/<int:pk>/refuser/", suggestions.suggestion_reject, name="suggestion_reject"),
    path("propositions/<int:pk>/commenter/", discussion.comment_create, name="comment_create"),
    path("commentaires/<int:pk>/signaler/", discussion.comment_report, name="comment_report"),
    path("commentaires/<int:pk>/masquer/", discussion.comment_hide, name="comment_hide"),
    path("revisions/<int:pk>/restaurer/", editing.revision_restore, name="revision_restore"),
    path("suivre/<str:kind>/<int:pk>/", notifications.follow_toggle, name="follow"),
    path("<slug:slug>/", reading.fiche_detail, name="detail"),
    path("<slug:slug>/historique/", history.fiche_history, name="history"),
    path("<slug:slug>/activite/", history.activity_feed, name="feed"),
    path("<slug:slug>/versions/", versions.version_list, name="versions"),
    path("<slug:slug>/versions/comparer/", versions.version_compare, name="version_compare"),
    path("<slug:slug>/versions/publier/", versions.version_publish, name="version_publish"),
    path("<slug:slug>/versions/<str:label>/", versions.version_detail, name="version"),
    path("<slug:slug>/versions/<str:label>/pdf/", versions.version_pdf, name="version_pdf"),
    path("<slug:slug>/projet/pdf/", versions.draft_pdf, name="draft_pdf"),
    path("<slug:slug>/sections/<int:pk>/", reading.section_detail, name="section"),
    path("<slug:slug>/sections/<int:pk>/modifier/", editing.section_edit, name="section_edit"),
    path("<slug:slug>/sections/<int:pk>/historique/", history.section_history, name="section_history"),
    path("<slug:slug>/sections/<int:pk>/comparer/", history.revision_compare, name="revision_compare"),
    path("<slug:slug>/sections/<int:pk>/proposer/", suggestions.suggestion_create, name="suggestion_create"),
    path("<slug:slug>/sections/<int:pk>/apercu/", suggestions.suggestion_preview, name="suggestion_preview"),
]
