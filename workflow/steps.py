"""The human steps of the outgoing flow, read by services, selectors, registers and views."""

from django.utils.translation import gettext_lazy

# The human steps in process order (node names of OutgoingFlow).
STEPS = (
    "draft",
    "check",
    "verify",
    "countersign",
    "sign_off",
    "numbering",
    "red_head",
    "proofread",
    "dispatch",
)
STEP_TITLES = {
    "draft": gettext_lazy("Draft"),
    "check": gettext_lazy("Department check"),
    "verify": gettext_lazy("Office review"),
    "countersign": gettext_lazy("Countersign"),
    "sign_off": gettext_lazy("Sign-off"),
    "numbering": gettext_lazy("Numbering"),
    "red_head": gettext_lazy("Red-head typesetting"),
    "proofread": gettext_lazy("Proof-reading"),
    "dispatch": gettext_lazy("Sealing and dispatch"),
    "process": gettext_lazy("Process"),
}
