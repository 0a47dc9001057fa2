"""The people directory (通讯录): every signed-in employee browses and searches colleagues."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from ..models import OrgUnit
from ..permissions import can_see_mobile
from ..selectors.directory import directory_people, directory_tree, flatten_tree

PEOPLE_PER_PAGE = 50


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
    form = DirectoryFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    query = filters.get("q", "")
    unit = filters.get("unit")
    department = filters.get("department")
    people = directory_people(unit=unit, department=department, query=query, viewer=request.user)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(person, can_see_mobile(request.user, person)) for person in page.object_list]

    return render(
        request,
        "people/directory.html",
        {
            "directory_query": query,
            "selected": department or unit,
            "tree": flatten_tree(directory_tree()),
            "page_obj": page,
            "rows": rows,
        },
    )
