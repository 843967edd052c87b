from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import services
from members.models import Council, Department, Invitation, Profile, Region, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "status", "date_joined"]
    list_filter = ["status", "role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["status", "status_changed_at", "status_changed_by", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (_("Accès"), {"fields": ["role", "status", "status_changed_at", "status_changed_by", "is_active"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    actions = ["approve", "refuse"]

    @admin.action(description=_("Valider les comptes sélectionnés"))
    def approve(self, request, queryset):
        done = 0
        for user in queryset.pending():
            services.user_approve(user=user, by=request.user)
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d compte validé.", "%(count)d comptes validés.", done) % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Refuser les comptes sélectionnés"))
    def refuse(self, request, queryset):
        done = 0
        for user in queryset.pending():
            try:
                services.user_refuse(user=user, by=request.user)
            except ValidationError:
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d compte refusé.", "%(count)d comptes refusés.", done) % {"count": done},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        # Role changes go through the service so Django admin access follows the role.
        role_changed = change and "role" in form.changed_data
        super().save_model(request, obj, form, change)
        if role_changed:
            services.user_set_role(user=obj, role=obj.role, by=request.user)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "authority_name", "is_validated", "created_at"]
    list_filter = ["is_validated", "kind", "departments__region"]
    search_fields = ["name", "authority_name"]
    filter_horizontal = ["departments"]
    readonly_fields = ["declared_by", "created_at"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "council", "employment_status", "time_share", "updated_at"]
    list_select_related = ["council"]
    search_fields = ["display_name", "user__email", "council__name"]
    raw_id_fields = ["user", "council"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "created_at", "expires_at", "accepted_at", "invited_by"]
    search_fields = ["email"]
    readonly_fields = ["token", "created_at", "accepted_at", "accepted_by", "invited_by"]
