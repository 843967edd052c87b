from django.contrib import admin

from missions.models import MissionDeclaration


@admin.register(MissionDeclaration)
class MissionDeclarationAdmin(admin.ModelAdmin):
    list_display = ["user", "mission_code", "time_share", "updated_at"]
    search_fields = ["user__email", "mission_code"]
