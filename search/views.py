from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Page


def search(request):
    """Search across the published pages (the unified, permission-aware index replaces this)."""
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        results = Page.objects.live().filter(depth__gt=2).search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "search/search.html", {"query": query, "results": page})
