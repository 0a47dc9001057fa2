"""Actions of owners, editors and administrators: mark reviewed, and a category's access."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import CategoryAccessForm
from ..models import CategoryAccess, KnowledgeCategoryPage, KnowledgeItemPage
from ..permissions import can_manage_access, can_mark_reviewed, can_view
from ..selectors import breadcrumb
from ..services import KnowledgeError, category_access_update, item_mark_reviewed


@require_POST
def mark_reviewed(request, item_id: int):
    item = get_object_or_404(KnowledgeItemPage.objects.live(), pk=item_id)
    if not can_view(request.user, item):
        raise Http404
    if not can_mark_reviewed(request.user, item):
        raise PermissionDenied
    item_mark_reviewed(item=item, user=request.user)
    messages.success(
        request,
        _("Marked as reviewed; the next review is due on %(date)s.")
        % {"date": item.review_date.isoformat()},
    )
    return redirect(item.url)


def category_access(request, category_id: int):
    category = get_object_or_404(KnowledgeCategoryPage, pk=category_id)
    if not can_manage_access(request.user, category):
        raise PermissionDenied
    access = CategoryAccess.objects.filter(category=category).first() or CategoryAccess(
        category=category
    )
    form = CategoryAccessForm(request.POST or None, instance=access)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                category_access_update(
                    category=category,
                    user=request.user,
                    view_rule=data["view_rule"],
                    view_units=list(data["view_units"]),
                    view_groups=list(data["view_groups"]),
                    edit_users=list(data["edit_users"]),
                    edit_groups=list(data["edit_groups"]),
                )
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The category's access was saved."))
            return redirect(category.url or "/")
    return render(
        request,
        "knowledge/category_access.html",
        {"category": category, "form": form, "breadcrumb": [*breadcrumb(category), category]},
    )
