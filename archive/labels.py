"""The archive's words where the project's shared ones mean something else (查阅 is not 已读,
归还 is not 退回): the use screens and notifications show these instead of the models' labels."""

from django.utils.translation import pgettext_lazy

ACCESS_KINDS = {
    "read": pgettext_lazy("archive", "Read"),
    "borrow": pgettext_lazy("archive", "Borrow"),
}
ACCESS_STATES = {
    "pending": pgettext_lazy("archive", "Pending"),
    "approved": pgettext_lazy("archive", "Approved"),
    "refused": pgettext_lazy("archive", "Refused"),
    "returned": pgettext_lazy("archive", "Returned"),
}
DESTRUCTION_STATES = {
    "proposed": pgettext_lazy("archive", "Awaiting approval"),
    "approved": pgettext_lazy("archive", "Destroyed"),
    "refused": pgettext_lazy("archive", "Refused"),
}
