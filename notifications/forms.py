from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NotificationPreference
from .registry import kinds


def _kind_choices():
    return [("", _("All kinds")), *((kind.key, kind.label) for kind in kinds())]


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_kind_choices)
    unread = forms.BooleanField(label=_("Unread only"), required=False)


class PreferencesForm(forms.Form):
    email = forms.MultipleChoiceField(
        label=_("Also send by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=lambda: [(kind.key, kind.label) for kind in kinds()],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
        self.fields["email"].initial = [
            kind.key for kind in kinds() if chosen.get(kind.key, kind.email_default)
        ]
