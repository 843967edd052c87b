from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from core import audit_views, home_views, register_views, views
from core.permissions import public

# The admin's own login form checks the password alone: its login page sends to the site's login (allauth:
# second factor, rate limits) instead. Set before `admin.site.urls` is read below.
admin.site.login = views.admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("mon-espace/", home_views.my_space, name="my_space"),
    path("equipe/a-faire/", home_views.team_todo, name="team_todo"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("sante/", views.health, name="health"),
    path("langue/", public(set_language), name="set_language"),
    path("comptes/", include("allauth.urls")),
    path("membres/", include("members.urls")),
    path("referentiel/", include("referentiel.urls")),
    path("missions/", include("missions.urls")),
    path("fiches/", include("fiches.urls")),
    path("boite-a-outils/", include("toolbox.urls")),
    path("rencontres/", include("meetings.urls")),
    path("parcours/", include("training.urls")),
    path("enquetes/", include("surveys.urls")),
    path("entraide/", include("exchange.urls")),
    path("vitrine/", include("showcase.urls")),
    path("chiffres/", include("dashboard.urls")),
    path("journal/", audit_views.audit_list, name="audit_list"),
    path("equipe/journal/", audit_views.team_journal, name="team_journal"),
    path("registre-des-traitements/", register_views.processing_register, name="processing_register"),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK_INSTRUMENTATION:
    urlpatterns.append(path("", include("devtools.urls")))

# Uploaded files are never served from MEDIA_URL, not even in development: photos go through
# members:photo, which checks who may see them (docs/members.md).

handler400 = "core.views.bad_request"

admin.site.site_header = admin.site.site_title = "Réseau des technicien·nes CoDev"
