"""The toolbox's addresses (French words, like the rest of the site). Each area's views live in toolbox/views/."""

from django.urls import path

from toolbox.views import catalogue, files, follows, resources, transfer

app_name = "toolbox"

urlpatterns = [
    # Resources: drafting, reading, the team's decisions, marks, comments (toolbox/views/resources.py)
    path("nouvelle/", resources.create, name="create"),
    path("mes-ressources/", resources.mine, name="mine"),
    path("equipe/", resources.review_queue, name="review_queue"),
    path("<int:pk>/", resources.detail, name="detail"),
    path("<int:pk>/modifier/", resources.edit, name="edit"),
    path("<int:pk>/historique/", resources.history, name="history"),
    path("<int:pk>/soumettre/", resources.submit, name="submit"),
    path("<int:pk>/decision/", resources.decide, name="decide"),
    path("<int:pk>/supprimer/", resources.delete, name="delete"),
    path("<int:pk>/utile/", resources.useful, name="useful"),
    path("<int:pk>/utilisation/", resources.use, name="use"),
    path("<int:pk>/commentaires/", resources.comment_add, name="comment_add"),
    path("commentaires/<int:pk>/signaler/", resources.comment_report, name="comment_report"),
    path("commentaires/<int:pk>/moderer/", resources.comment_moderate, name="comment_moderate"),
    # Catalogue and search (toolbox/views/catalogue.py)
    path("", catalogue.catalogue, name="catalogue"),
    # Files (toolbox/views/files.py)
    path("<int:pk>/fichiers/", files.upload, name="file_upload"),
    path("fichiers/<int:pk>/", files.download, name="file_download"),
    path("fichiers/<int:pk>/apercu/", files.preview, name="file_preview"),
    path("fichiers/<int:pk>/retirer/", files.remove, name="file_remove"),
    # Catalogue import and export (toolbox/views/transfer.py)
    path("importer/", transfer.import_file, name="import"),
    path("export.<str:file_format>/", transfer.export, name="export"),
    # Follows (toolbox/views/follows.py)
    path("suivre/", follows.follow, name="follow"),
    path("abonnements/", follows.follows, name="follows"),
]
