from django import template

from archive.labels import ACCESS_KINDS, ACCESS_STATES, DESTRUCTION_STATES

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
