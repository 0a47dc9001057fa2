"""What the workflow screens keep per process instead of rebuilding per request: choice labels
and the unfiltered lists' filter fields. Each follows the active language, and a chosen
filter is never served from the cache."""

from django.utils import translation
from viewflow.workflow.models import Task

from workflow.filters import DoneTaskFilter, TodoTaskFilter
from workflow.models import (
    Classification,
    DocumentType,
    OutgoingDocument,
    TraceEntry,
    Urgency,
    choice_label,
)
from workflow.views.lists import filter_fields


def test_choice_labels_are_the_fields_display_in_the_active_language():
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            for choices in (
                TraceEntry.Action,
                Urgency,
                Classification,
                DocumentType,
                OutgoingDocument.Status,
            ):
                for value, label in choices.choices:
                    assert choice_label(choices, value) == str(label), (language, value)
    with translation.override("en"):
        entry = TraceEntry(action=TraceEntry.Action.SIGN_OFF)
        assert entry.action_label == entry.get_action_display() == "Signed off"
    with translation.override("zh-hans"):
        assert entry.action_label == entry.get_action_display()
        assert entry.action_label != "Signed off"


def unbound(filter_class):
    return filter_fields(filter_class(None, queryset=Task.objects.none()))


def test_the_unfiltered_filter_fields_follow_the_language_and_the_list(db):
    with translation.override("en"):
        english = unbound(TodoTaskFilter)
        assert "Urgency" in english and "Overdue only" in english
        assert "Overdue only" not in unbound(DoneTaskFilter)
    with translation.override("zh-hans"):
        assert "紧急程度" in unbound(TodoTaskFilter) and "仅看超期" in unbound(TodoTaskFilter)
    with translation.override("en"):
        assert unbound(TodoTaskFilter) == english


def test_a_chosen_filter_is_rendered_with_its_choice_and_not_cached(db):
    with translation.override("en"):
        plain = unbound(TodoTaskFilter)
        chosen = filter_fields(
            TodoTaskFilter({"urgency": Urgency.URGENT}, queryset=Task.objects.none())
        )
        assert f'<option value="{Urgency.URGENT}" selected>' in chosen
        assert "selected>" not in plain.replace('value="" selected>', "")
        assert unbound(TodoTaskFilter) == plain
