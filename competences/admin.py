from django.contrib import admin

from competences.models import FrameworkVersion, SelfAssessment


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are curated and published from the site, where the rules apply."""

    list_display = ["label", "status", "published_at", "created_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ["user", "code", "level", "not_concerned", "version", "updated_at"]
    search_fields = ["user__email", "code"]
