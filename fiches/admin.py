from django.contrib import admin

from fiches.models import Comment, CommentReport, Fiche, FicheVersion, Revision, Section, Suggestion


@admin.register(Fiche)
class FicheAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "created_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "fiche", "kind", "order"]
    list_filter = ["fiche", "kind"]
    # Content changes go through revisions (the site's editor), never through the admin.
    readonly_fields = ["current_revision"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["section", "number", "author", "source", "created_at"]
    list_filter = ["source"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section", "author", "status", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["section", "author", "base_revision", "body", "rationale", "decided_by", "decided_at"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "suggestion", "author", "created_at", "hidden_at"]
    readonly_fields = ["suggestion", "parent", "author", "body", "hidden_at", "hidden_by", "hidden_reason"]


@admin.register(CommentReport)
class CommentReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reporter", "reason", "created_at"]


@admin.register(FicheVersion)
class FicheVersionAdmin(admin.ModelAdmin):
    list_display = ["fiche", "label", "published_at", "published_by"]

    def has_change_permission(self, request, obj=None):
        return False
