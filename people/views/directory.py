"""The people directory (通讯录): every signed-in employee browses and searches colleagues."""

import hashlib

from django import forms
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.cache import versioned_key

from ..caching import directory_version, organization_version
from ..models import OrgUnit
from ..permissions import can_see_mobile, mobile_scope
from ..selectors.directory import directory_people, directory_tree, flatten_tree

PEOPLE_PER_PAGE = 50
DIRECTORY_CACHE_SECONDS = 3600


class DirectoryFilterForm(forms.Form):
    """The query string; an unknown or inactive unit or department is dropped, not an error."""

    q = forms.CharField(required=False, max_length=50)
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.filter(
            is_active=True, kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]
        ),
        required=False,
    )
    department = forms.ModelChoiceField(
        queryset=OrgUnit.objects.filter(is_active=True, kind=OrgUnit.Kind.DEPARTMENT),
        required=False,
    )


def directory(request):
    """Rendered once per version of the directory's data, query string and mobile scope: who is
    listed and what it shows depend on nothing else."""
    query_string = request.GET.urlencode().encode()
    key = versioned_key(
        "people:directory",
        directory_version(),
        organization_version(),
        get_language(),
        mobile_scope(request.user),
        hashlib.md5(query_string, usedforsecurity=False).hexdigest(),
    )
    content = cache.get(key)
    if content is None:
        content = _render_directory(request)
        cache.set(key, content, DIRECTORY_CACHE_SECONDS)
    return render(request, "people/directory.html", {"content_html": mark_safe(content)})


def _render_directory(request) -> str:
    form = DirectoryFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    query = filters.get("q", "")
    unit = filters.get("unit")
    department = filters.get("department")
    people = directory_people(unit=unit, department=department, query=query, viewer=request.user)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(person, can_see_mobile(request.user, person)) for person in page.object_list]
    return render_to_string(
        "people/includes/directory_content.html",
        {
            "directory_query": query,
            "selected": department or unit,
            "tree": flatten_tree(directory_tree()),
            "page_obj": page,
            "rows": rows,
        },
        request=request,
    )
