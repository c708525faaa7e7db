from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from groups.models import GroupMembership, Post, Report, Thread, ThreadRead, WorkingGroup


class MembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    autocomplete_fields = ["member"]
    fields = ["member", "role", "state", "notify", "created_at"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(TranslationAdmin):
    list_display = ["name", "join_policy", "description_visibility", "started_on", "archived_at"]
    list_filter = ["join_policy", "description_visibility"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(GroupMembership)
class GroupMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "group", "role", "state", "notify", "created_at"]
    list_filter = ["role", "state", "notify"]
    search_fields = ["member__email", "group__name"]
    autocomplete_fields = ["member", "group"]
    list_select_related = ["member", "group"]


class PostInline(admin.StackedInline):
    model = Post
    extra = 0
    fields = ["author", "body", "created_at", "edited_at", "hidden"]
    autocomplete_fields = ["author"]


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "author", "pinned", "locked", "hidden", "last_activity_at"]
    list_filter = ["pinned", "locked", "hidden"]
    search_fields = ["title", "group__name"]
    autocomplete_fields = ["group", "author"]
    list_select_related = ["group", "author"]
    inlines = [PostInline]


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    autocomplete_fields = ["reporter"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "created_at", "hidden"]
    list_filter = ["hidden"]
    search_fields = ["body", "thread__title"]
    autocomplete_fields = ["thread", "author"]
    list_select_related = ["thread", "author"]
    inlines = [ReportInline]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reporter", "reason", "created_at"]
    autocomplete_fields = ["post", "reporter"]
    list_select_related = ["post__thread", "reporter"]


@admin.register(ThreadRead)
class ThreadReadAdmin(admin.ModelAdmin):
    list_display = ["member", "thread", "read_at"]
    autocomplete_fields = ["member", "thread"]
    list_select_related = ["member", "thread"]
