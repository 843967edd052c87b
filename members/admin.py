from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from members import services
from members.models import User


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
