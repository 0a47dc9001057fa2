from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import ICALENDAR_IMPORT
from people.models import OrgUnit, User

from .models import Event, Participant, Room


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "all_day",
            "location",
            "recurrence",
            "description",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("iCalendar file (.ics)"),
        widget=forms.ClearableFileInput(attrs={"accept": ICALENDAR_IMPORT.accept_attribute()}),
    )


class ReadersForm(forms.Form):
    readers = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("agenda", "Readers"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = people
        self.fields["readers"].widget.attrs["size"] = 8


class BookingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=User.objects.none(), required=False
    )
    observers = forms.ModelMultipleChoiceField(
        label=_("Observers (列席)"), queryset=User.objects.none(), required=False
    )
    agenda = forms.CharField(
        label=_("Agenda items"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("attendees", "observers"):
            self.fields[name].queryset = people
            self.fields[name].widget.attrs["size"] = 8


class ReplyForm(forms.Form):
    reply = forms.ChoiceField(
        label=pgettext_lazy("agenda", "Reply"),
        choices=[
            (Participant.Reply.ACCEPTED, _("Accept")),
            (Participant.Reply.DECLINED, _("Decline")),
            (Participant.Reply.DELEGATED, _("Delegate")),
        ],
        widget=forms.RadioSelect,
    )
    delegate = forms.ModelChoiceField(
        label=_("Attends in my place"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = people


class ModulesForm(forms.Form):
    schedules = forms.BooleanField(label=_("Schedules"), required=False)
    meetings = forms.BooleanField(label=_("Meetings"), required=False)


class RoomForm(forms.ModelForm):
    class Meta:
        model = Room
        fields = [
            "name",
            "location",
            "capacity",
            "equipment",
            "bookable_by",
            "requires_approval",
            "approvers",
        ]
        help_texts = {
            "bookable_by": _("None chosen: everyone of the unit may book."),
            "approvers": _("They confirm or reject each booking when the room needs approval."),
        }

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bookable_by"].queryset = OrgUnit.objects.filter(
            unit=unit, kind=OrgUnit.Kind.DEPARTMENT
        ).order_by("path")
        self.fields["approvers"].queryset = User.objects.filter(
            is_active=True, department__unit=unit
        ).order_by("name_initials", "pk")
        for name in ("bookable_by", "approvers"):
            self.fields[name].widget.attrs["size"] = 8
