from django.urls import path

from .views import (
    admin_units,
    admin_users,
    audit,
    directory,
    hr_import,
    lockouts,
    profile,
    requests,
)

app_name = "people"
urlpatterns = [
    # Everyone
    path("profile/", profile.profile, name="profile"),
    path("profile/edit/", profile.profile_edit, name="profile_edit"),
    path("profile/password/", profile.password_change, name="password_change"),
    path("directory/", directory.directory, name="directory"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_create, name="request_create"),
    # Administrators
    path("requests/review/", requests.request_review_list, name="request_review_list"),
    path("requests/<id:pk>/decide/", requests.request_decide, name="request_decide"),
    path("admin/users/", admin_users.user_list, name="user_list"),
    path("admin/users/new/", admin_users.user_create, name="user_create"),
    path("admin/users/<id:pk>/", admin_users.user_edit, name="user_edit"),
    path("admin/users/<id:pk>/active/", admin_users.user_set_active, name="user_set_active"),
    path(
        "admin/users/<id:pk>/password/",
        admin_users.user_reset_password,
        name="user_reset_password",
    ),
    path("admin/users/<id:pk>/roles/", admin_users.user_roles, name="user_roles"),
    path(
        "admin/users/<id:pk>/roles/<id:assignment_pk>/revoke/",
        admin_users.role_revoke,
        name="role_revoke",
    ),
    path("admin/users/<id:pk>/posts/", admin_users.concurrent_posts, name="concurrent_posts"),
    path(
        "admin/users/<id:pk>/posts/<id:post_pk>/remove/",
        admin_users.concurrent_post_remove,
        name="concurrent_post_remove",
    ),
    path("admin/units/", admin_units.unit_list, name="unit_list"),
    path("admin/units/new/", admin_units.unit_create, name="unit_create"),
    path("admin/units/<id:pk>/", admin_units.unit_edit, name="unit_edit"),
    path("admin/import/", hr_import.hr_import, name="hr_import"),
    path(
        "admin/import/template.<str:file_format>",
        hr_import.hr_import_template,
        name="hr_import_template",
    ),
    path("admin/lockouts/", lockouts.lockout_list, name="lockout_list"),
    path("admin/lockouts/unlock/", lockouts.lockout_unlock, name="lockout_unlock"),
    path("admin/audit/", audit.audit_log, name="audit_log"),
]
