from django.urls import path

from fiches import views

app_name = "fiches"

urlpatterns = [
    path("", views.index, name="index"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/ouvrir/", views.notification_open, name="notification_open"),
    path("notifications/tout-marquer-lu/", views.notifications_read_all, name="notifications_read_all"),
    path("moderation/", views.moderation, name="moderation"),
    path("ma-fiche/", views.my_fiche, name="my_fiche"),
    path("ma-fiche/pdf/", views.my_fiche_pdf, name="my_fiche_pdf"),
    path("ma-fiche/poste/", views.my_fiche_edit, name="my_fiche_edit"),
    path("ma-fiche/sections/<int:pk>/", views.my_section_edit, name="my_section_edit"),
    path("ma-fiche/sections/<int:pk>/integrer/", views.my_section_integrate, name="my_section_integrate"),
    path("propositions/<int:pk>/", views.suggestion_detail, name="suggestion"),
    path("propositions/<int:pk>/mettre-a-jour/", views.suggestion_update, name="suggestion_update"),
    path("propositions/<int:pk>/soutenir/", views.suggestion_support, name="suggestion_support"),
    path("propositions/<int:pk>/retirer/", views.suggestion_withdraw, name="suggestion_withdraw"),
    path("propositions/<int:pk>/accepter/", views.suggestion_accept, name="suggestion_accept"),
    path("propositions/<int:pk>/refuser/", views.suggestion_reject, name="suggestion_reject"),
    path("propositions/<int:pk>/commenter/", views.comment_create, name="comment_create"),
    path("commentaires/<int:pk>/signaler/", views.comment_report, name="comment_report"),
    path("commentaires/<int:pk>/masquer/", views.comment_hide, name="comment_hide"),
    path("revisions/<int:pk>/restaurer/", views.revision_restore, name="revision_restore"),
    path("suivre/<str:kind>/<int:pk>/", views.follow_toggle, name="follow"),
    path("<slug:slug>/", views.fiche_detail, name="detail"),
    path("<slug:slug>/historique/", views.fiche_history, name="history"),
    path("<slug:slug>/activite/", views.activity_feed, name="feed"),
    path("<slug:slug>/versions/", views.version_list, name="versions"),
    path("<slug:slug>/versions/comparer/", views.version_compare, name="version_compare"),
    path("<slug:slug>/versions/publier/", views.version_publish, name="version_publish"),
    path("<slug:slug>/versions/<str:label>/", views.version_detail, name="version"),
    path("<slug:slug>/versions/<str:label>/pdf/", views.version_pdf, name="version_pdf"),
    path("<slug:slug>/projet/pdf/", views.draft_pdf, name="draft_pdf"),
    path("<slug:slug>/sections/<int:pk>/", views.section_detail, name="section"),
    path("<slug:slug>/sections/<int:pk>/modifier/", views.section_edit, name="section_edit"),
    path("<slug:slug>/sections/<int:pk>/historique/", views.section_history, name="section_history"),
    path("<slug:slug>/sections/<int:pk>/comparer/", views.revision_compare, name="revision_compare"),
    path("<slug:slug>/sections/<int:pk>/proposer/", views.suggestion_create, name="suggestion_create"),
    path("<slug:slug>/sections/<int:pk>/apercu/", views.suggestion_preview, name="suggestion_preview"),
]
