from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from people import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_links(context) -> list[dict]:
    """The administration screens the signed-in user may open, for the sub-navigation."""
    user = context["request"].user
    if not permissions.can_administer_any(user):
        return []
    links = [
        (_("Accounts"), "people:user_list"),
        (_("HR import"), "people:hr_import"),
        (_("Permission requests"), "people:request_review_list"),
        (_("Locked accounts"), "people:lockout_list"),
    ]
    if permissions.can_manage_units(user):
        links += [
            (_("Organization"), "people:unit_list"),
            (_("Audit log"), "people:audit_log"),
        ]
    return [{"label": label, "url": reverse(name)} for label, name in links]
