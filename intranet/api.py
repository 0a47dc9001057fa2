"""The project's JSON API (django-ninja); each app adds its router here."""

from django.contrib.admin.views.decorators import staff_member_required
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.security import django_auth

from home.api import router as publishing_router
from knowledge.api import router as knowledge_router
from search.api import router as search_router
from workflow.api import router as documents_router

api = NinjaAPI(
    title="Xietong API",
    version="1",
    description=str(_("The intranet's API. Sign in to the intranet to use it.")),
    auth=django_auth,
    docs_decorator=staff_member_required,
    urls_namespace="api",
)


class MeOut(Schema):
    username: str
    name: str
    department: str | None
    unit: str | None


class HealthOut(Schema):
    status: str


@api.get("/health", auth=None, response=HealthOut, summary="Liveness check")
def health(request):
    return {"status": "ok"}


@api.get("/me", response=MeOut, summary="The signed-in user")
def me(request):
    user = request.user
    department = user.department
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "department": department.name if department else None,
        "unit": department.unit.name if department and department.unit_id else None,
    }


api.add_router("/", publishing_router)
api.add_router("/knowledge", knowledge_router)
api.add_router("/search", search_router)
api.add_router("/documents", documents_router)
