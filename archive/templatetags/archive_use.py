from django import template

from archive.labels import ACCESS_KINDS, ACCESS_STATES, DESTRUCTION_STATES
from people.models import Role

register = template.Library()


@register.filter
def access_kind(value: str) -> str:
    return ACCESS_KINDS.get(value, value)


@register.filter
def access_state(value: str) -> str:
    return ACCESS_STATES.get(value, value)


@register.filter
def destruction_state(value: str) -> str:
    return DESTRUCTION_STATES.get(value, value)


@register.filter
def role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value
