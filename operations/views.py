from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import run_checks


@login_not_required
@never_cache
def liveness(request):
    """The process answers: touches neither database nor cache."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
def readiness(request):
    """200 when every dependency answers, else 503. Anonymous callers (the load balancer) learn
    ok or fail per check; superusers also see each check's detail."""
    results = run_checks()
    ready = all(ok for ok, _ in results.values())
    body = {
        "status": "ok" if ready else "fail",
        "checks": {name: "ok" if ok else "fail" for name, (ok, _) in results.items()},
    }
    if request.user.is_authenticated and request.user.is_superuser:
        body["details"] = {name: detail for name, (_, detail) in results.items()}
    return JsonResponse(body, status=200 if ready else 503)
