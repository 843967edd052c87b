"""The meetings' addresses (French words). Each area's views live in meetings/views/."""

from django.urls import path

from meetings.views import meetings, registration, workshops

app_name = "meetings"

urlpatterns = [
    # Meetings: list, page, creation and edition, minutes, materials, outcomes (meetings/views/meetings.py)
    path("", meetings.meeting_list, name="list"),
    path("nouvelle/", meetings.meeting_create, name="create"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/modifier/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/annoncer/", meetings.meeting_publish, name="publish"),
    path("<int:pk>/annuler/", meetings.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/organisation/", meetings.meeting_organisers, name="organisers"),
    path("<int:pk>/organisation/<int:user_id>/retirer/", meetings.organiser_remove, name="organiser_remove"),
    path("<int:pk>/compte-rendu/", meetings.meeting_minutes, name="minutes"),
    path("<int:pk>/documents/", meetings.meeting_materials, name="materials"),
    path("documents/<int:pk>/", meetings.material_download, name="material_download"),
    path("documents/<int:pk>/retirer/", meetings.material_remove, name="material_remove"),
    path("<int:pk>/suites/", meetings.meeting_outcomes, name="outcomes"),
    path("suites/<int:pk>/traitee/", meetings.outcome_handled, name="outcome_handled"),
    # Registration, waiting list, calendar files and feed, check-in, attendance sheet (meetings/views/registration.py)
    path("<int:pk>/inscription/", registration.register, name="register"),
    path("inscriptions/<int:pk>/annuler/", registration.cancel, name="cancel"),
    path("<int:pk>/inscrits/", registration.registrations, name="registrations"),
    path("inscriptions/<int:pk>/presence/", registration.check_in, name="check_in"),
    path("<int:pk>/emargement.pdf", registration.attendance_sheet, name="attendance_sheet"),
    path("<int:pk>/agenda.ics", registration.ics, name="ics"),
    path("<int:pk>/suivre/", registration.follow, name="follow"),
    path("agenda/<str:token>.ics", registration.feed, name="feed"),
    path("mon-agenda/", registration.calendar, name="calendar"),
    # Workshops: sub-groups, participants, shared notes (meetings/views/workshops.py)
    path("<int:pk>/sous-groupes/nouveau/", workshops.workshop_create, name="workshop_create"),
    path("sous-groupes/<int:pk>/modifier/", workshops.workshop_edit, name="workshop_edit"),
    path("sous-groupes/<int:pk>/supprimer/", workshops.workshop_delete, name="workshop_delete"),
    path("sous-groupes/<int:pk>/rejoindre/", workshops.workshop_join, name="workshop_join"),
    path("sous-groupes/<int:pk>/quitter/", workshops.workshop_leave, name="workshop_leave"),
    path("sous-groupes/<int:pk>/participants/", workshops.workshop_assign, name="workshop_assign"),
    path("sous-groupes/<int:pk>/notes/", workshops.workshop_notes, name="workshop_notes"),
]
