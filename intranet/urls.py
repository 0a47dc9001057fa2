from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from intranet import views
from intranet.api import api
from intranet.converters import bound_integer_converters
from intranet.routing import serve_page
from operations import views as operations_views
from workflow.viewsets import site as workflow_site

urlpatterns = [
    path("healthz", operations_views.liveness, name="healthz"),
    path("readyz", operations_views.readiness, name="readyz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", api.urls),
    path("workflow/numbering/", include("workflow.numbering.urls")),
    path("workflow/redhead/", include("workflow.redhead.urls")),
    path("workflow/", include("workflow.urls")),
    path("workflow/", workflow_site.urls),
    path("knowledge-center/", include("knowledge.urls")),
    path("people/", include("people.urls")),
    path("publishing/", include("home.urls")),
    path("search/", include("search.urls")),
    path("agenda/", include("agenda.urls")),
    path("notifications/", include("notifications.urls")),
    path("stats/", include("stats.urls")),
    path("archive/", include("archive.urls")),
    path("hello/", views.hello, name="hello"),
]

if settings.DEBUG:
    # Only images: documents are served by Wagtail's permission-checked view, never from media.
    urlpatterns.append(
        re_path(
            r"^media/(?P<path>(?:images|original_images)/.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )

urlpatterns += [
    # Before Wagtail's own pattern (same regex), so pages are routed with the cached Site.
    re_path(r"^((?:[\w\-]+/)*)$", serve_page),
    path("", include(wagtail_urls)),
]

bound_integer_converters(urlpatterns)

handler500 = "intranet.views.server_error"
