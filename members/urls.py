from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("en-attente/", views.account_pending, name="pending"),
    path("premiers-pas/masquer/", views.onboarding_dismiss, name="onboarding_dismiss"),
    path("annuaire/", views.directory, name="directory"),
    path("<int:user_id>/", views.member_detail, name="detail"),
    path("<int:user_id>/photo/", views.member_photo, name="photo"),
    path("mon-profil/", views.profile_edit, name="profile_edit"),
    path("mon-profil/apercu/", views.profile_preview, name="profile_preview"),
    path("conseils/nouveau/", views.council_create, name="council_create"),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/archive/", views.data_export_request, name="data_export_request"),
    path("mes-donnees/archive/<uuid:export_id>/", views.data_export_status, name="data_export_status"),
    path("mes-donnees/archive/<uuid:export_id>/telecharger/", views.data_export, name="data_export"),
    path("mes-donnees/supprimer/", views.account_delete, name="account_delete"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation"),
    path("equipe/comptes/", views.pending_accounts, name="pending_accounts"),
    path("equipe/comptes/<int:user_id>/valider/", views.account_approve, name="account_approve"),
    path("equipe/comptes/<int:user_id>/refuser/", views.account_refuse, name="account_refuse"),
    path("equipe/invitations/", views.invitations, name="invitations"),
    path("equipe/conseils/", views.pending_councils, name="pending_councils"),
    path("equipe/conseils/<int:council_id>/valider/", views.council_validate, name="council_validate"),
]
