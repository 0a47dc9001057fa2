"""Forms of the drafting and processing screens. They only parse input and offer the users a
step may choose; the services decide and validate again."""

import re
from html import unescape

from django import forms
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import OrgUnit

from . import permissions, selectors, services
from .deadlines import default_deadline
from .models import Classification, Direction, DocumentType, Urgency
from .services.outgoing import PRINT_FIELDS
from .steps import steps_of_task

ACTION_FIELDS = {
    "draft": ["department_head"],
    "check": ["verifier"],
    "verify": ["first_signer", "second_signer", "third_signer", "countersign_departments"],
    "sign_off": ["clerk"],
    "numbering": ["prefix"],
    "proofread": ["seal_keeper", "clerk"],
}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        department = user.department.name if user.department_id else ""
        return f"{user.get_full_name()}（{department}）" if department else user.get_full_name()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def body_as_html(text: str) -> str:
    """Plain text becomes one paragraph a line; text that already is HTML is kept (and
    sanitised by the service)."""
    if "<" in text and ">" in text:
        return text
    return "".join(f"<p>{escape(line)}</p>" for line in _lines(text))


def body_as_text(html: str) -> str:
    """Body HTML for editing as lines: one paragraph a line."""
    text = re.sub(r"</p>|<br\s*/?>", "\n", html or "")
    return "\n".join(line.strip() for line in unescape(strip_tags(text)).splitlines() if line)


def _minutes_names_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Minutes only: one name a line."),
    )


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "No punctuation at the end. Long titles break between words; "
            "start a new line where you want the printed title to break."
        ),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        help_text=_("Classified documents (secret and above) must not enter the system."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    main_units = forms.ModelMultipleChoiceField(
        label=_("Main recipients (organization)"),
        queryset=OrgUnit.objects.filter(is_active=True).order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    main_outside = forms.CharField(
        label=_("Main recipients (outside bodies)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One name a line."),
    )
    copy_units = forms.ModelMultipleChoiceField(
        label=_("Copy recipients (organization)"),
        queryset=OrgUnit.objects.filter(is_active=True).order_by("path"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    copy_outside = forms.CharField(
        label=_("Copy recipients (outside bodies)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One name a line."),
    )
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text=_("One paragraph a line; headings like 一、 and （一） are kept."),
    )
    body_file = forms.FileField(
        label=_("Body as a Word file"), required=False, help_text=_("DOC or DOCX.")
    )
    attachment_note = forms.CharField(
        label=_("Attachment note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One attachment name a line."),
    )
    remarks = forms.CharField(label=_("Remarks"), max_length=300, required=False)
    printing_unit = forms.CharField(label=_("Printing office"), max_length=60, required=False)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, initial=1)
    copy_numbered = forms.BooleanField(
        label=_("Numbered copies (份号)"),
        required=False,
        help_text=_("Each printed copy carries its six-digit number: 000001, 000002, …"),
    )
    signatory_title = forms.CharField(
        label=_("Signatory's title (命令)"),
        max_length=30,
        required=False,
        help_text=_("Orders only: printed before the signer's name, e.g. 董事长."),
    )
    attendees = _minutes_names_field(_("Attendees (出席, 纪要)"))
    absentees = _minutes_names_field(_("Absent with leave (请假, 纪要)"))
    observers = _minutes_names_field(_("Observers (列席, 纪要)"))

    @classmethod
    def initial_for(cls, document) -> dict:
        recipients = list(document.recipients.all())
        kinds = {"main": ([], []), "copy": ([], [])}
        for recipient in recipients:
            units, outside = kinds[recipient.kind]
            if recipient.org_unit_id:
                units.append(recipient.org_unit_id)
            else:
                outside.append(recipient.outside_name)
        return {
            "doc_type": document.doc_type,
            "title": document.title,
            "direction": document.direction,
            "classification": document.classification,
            "urgency": document.urgency,
            "main_units": kinds["main"][0],
            "main_outside": "\n".join(kinds["main"][1]),
            "copy_units": kinds["copy"][0],
            "copy_outside": "\n".join(kinds["copy"][1]),
            "body": body_as_text(document.body),
            "attachment_note": document.attachment_note,
            "remarks": document.remarks,
            "printing_unit": document.printing_unit,
            "copies": document.copies,
            **{name: getattr(document, name) for name in PRINT_FIELDS},
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "doc_type": data["doc_type"],
            "title": data["title"],
            "direction": data["direction"],
            "classification": data["classification"],
            "urgency": data["urgency"] or "",
            "body": body_as_html(data["body"]),
            "attachment_note": data["attachment_note"],
            "remarks": data["remarks"],
            "printing_unit": data["printing_unit"],
            "copies": data["copies"],
            **{name: data[name] for name in PRINT_FIELDS},
            "main_recipients": [*data["main_units"], *_lines(data["main_outside"])],
            "copy_recipients": [*data["copy_units"], *_lines(data["copy_outside"])],
        }


class AttachmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    file = forms.FileField(label=_("File"), required=False)
    is_paper_only = forms.BooleanField(label=_("Paper only (纸质)"), required=False)


class TaskActionForm(forms.Form):
    """The decision on a task: opinion, the next step's users, or a return with a reason."""

    opinion = forms.CharField(
        label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    return_to = forms.ChoiceField(label=_("Return to"), required=False)

    def __init__(self, *args, task, document, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        self.step = task.flow_task.name
        steps = services.returnable_steps(task, selectors.done_steps_of(document))
        self.fields["return_to"].choices = (
            [("", "---------")] + [(step, steps_of_task(task).title(step)) for step in steps]
            if steps
            else []
        )
        self.add_step_fields(document, user)

    def add_step_fields(self, document, user) -> None:
        """The choices the outgoing step offers (the flow's forms override this). After a
        return the process still holds the earlier choices: they are offered again."""
        unit = document.unit
        process = document.process
        if self.step == "draft":
            self.fields["department_head"] = PersonChoiceField(
                label=_("Department head to check"),
                queryset=permissions.department_head_candidates(document.drafting_department),
                required=False,
                initial=process.department_head_id,
            )
        elif self.step == "check":
            self.fields["verifier"] = PersonChoiceField(
                label=_("Office verifier"),
                queryset=permissions.verifier_candidates(
                    unit, checked_by=(self.task.owner_id, user.pk)
                ),
                required=False,
                initial=process.verifier_id,
            )
        elif self.step == "verify":
            leaders = permissions.leader_candidates(unit)
            signers = [entry.user_id for entry in document.signer_entries.all()]
            for order, (name, label) in enumerate(
                (
                    ("first_signer", _("Signing leader")),
                    ("second_signer", _("Second signing leader")),
                    ("third_signer", _("Third signing leader")),
                )
            ):
                self.fields[name] = PersonChoiceField(
                    label=label,
                    queryset=leaders,
                    required=False,
                    initial=signers[order] if order < len(signers) else None,
                )
            self.fields["countersign_departments"] = forms.ModelMultipleChoiceField(
                label=_("Countersigning departments"),
                queryset=permissions.countersign_departments(
                    unit, drafting_department=document.drafting_department
                ),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                help_text=_("None: the document goes straight to sign-off."),
                initial=[department.pk for department in process.countersign_departments.all()],
            )
        if self.step == "proofread":
            self.fields["seal_keeper"] = PersonChoiceField(
                label=_("Seal keeper"),
                queryset=permissions.seal_keeper_candidates(unit),
                required=False,
                initial=document.process.seal_keeper_id,
            )
        if self.step == "sign_off" or self.step == "proofread":
            clerks = permissions.clerk_candidates(unit)
            self.fields["clerk"] = PersonChoiceField(
                label=_("Document clerk"), queryset=clerks, required=False
            )
            if process.clerk_id:
                self.fields["clerk"].initial = process.clerk_id
        if self.step == "numbering" and document.number_id is None:
            from .numbering.permissions import prefixes_for

            is_order = document.doc_type == DocumentType.ORDER
            self.fields["prefix"] = forms.ModelChoiceField(
                label=_("Prefix (代字)"),
                queryset=prefixes_for(unit).filter(is_order=is_order),
                required=False,
                help_text=_("An order (命令) is numbered 第N号 from an order prefix.")
                if is_order
                else "",
            )

    @property
    def action_fields(self):
        return [self[name] for name in ACTION_FIELDS.get(self.step, []) if name in self.fields]

    def forward_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"opinion": data.get("opinion", "")}
        if self.step == "draft":
            arguments["department_head"] = data.get("department_head")
        elif self.step == "check":
            arguments["verifier"] = data.get("verifier")
        elif self.step == "verify":
            signers = [data.get(n) for n in ("first_signer", "second_signer", "third_signer")]
            arguments["signers"] = [signer for signer in signers if signer is not None]
            arguments["countersign_departments"] = list(data.get("countersign_departments") or [])
        elif self.step in ("sign_off", "proofread"):
            arguments["clerk"] = data.get("clerk")
            if self.step == "proofread":
                arguments["seal_keeper"] = data.get("seal_keeper")
        elif self.step == "numbering":
            arguments["prefix"] = data.get("prefix")
        return arguments


class DelegationForm(forms.Form):
    deputy = PersonChoiceField(label=_("Deputy"), queryset=None)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return PersonChoiceField.label_from_instance(self, user)


class CirculateForm(forms.Form):
    """传阅: the readers among the unit's staff, and a note for them."""

    readers = PeopleChoiceField(
        label=pgettext_lazy("circulation", "Readers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one reader."),
            "invalid_choice": _("Readers are chosen among the unit's staff."),
            "invalid_pk_value": _("Readers are chosen among the unit's staff."),
        },
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = permissions.circulation_reader_candidates(
            document
        ).select_related("department")


class CirculationReadForm(forms.Form):
    remark = forms.CharField(label=_("Remark"), max_length=300, required=False)


INCOMING_ACTION_FIELDS = {
    "review": ["office_head"],
    "propose": ["first_instructor", "second_instructor", "third_instructor"],
    "instruct": ["lead_department", "co_departments", "deadline"],
    "handle": ["needs_reply"],
    "circulate": ["readers"],
}
INSTRUCTOR_FIELDS = ("first_instructor", "second_instructor", "third_instructor")


class IncomingTaskForm(TaskActionForm):
    """The decision on an incoming task. The choices made before a return are offered again."""

    def add_step_fields(self, document, user) -> None:
        unit = document.unit
        process = document.process
        if self.step == "review":
            self.fields["office_head"] = PersonChoiceField(
                label=_("Office head to propose"),
                queryset=permissions.office_head_candidates(unit, besides=user),
                initial=process.office_head_id,
                required=False,
            )
        elif self.step == "propose":
            leaders = permissions.leader_candidates(unit)
            chosen = [entry.user_id for entry in document.instruction_entries.all()]
            labels = (_("Instructing leader"), _("Second leader"), _("Third leader"))
            for index, (name, label) in enumerate(zip(INSTRUCTOR_FIELDS, labels, strict=True)):
                self.fields[name] = PersonChoiceField(
                    label=label,
                    queryset=leaders,
                    initial=chosen[index] if index < len(chosen) else None,
                    required=False,
                )
        elif self.step == "instruct":
            departments = permissions.handling_departments(unit)
            self.fields["lead_department"] = forms.ModelChoiceField(
                label=_("Lead department (主办)"),
                queryset=departments,
                initial=process.lead_department_id,
                required=False,
            )
            self.fields["co_departments"] = forms.ModelMultipleChoiceField(
                label=_("Co-departments (协办)"),
                queryset=departments,
                widget=forms.CheckboxSelectMultiple,
                initial=[department.pk for department in process.co_departments.all()],
                required=False,
            )
            self.fields["deadline"] = forms.DateField(
                label=_("Deadline"),
                # A date input reads and writes ISO dates, whatever the language's format.
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                initial=document.deadline
                or default_deadline(document.urgency, timezone.localdate()),
                required=False,
                help_text=_("Counted in working days; by default from the urgency."),
            )
        elif self.step == "handle":
            self.fields["needs_reply"] = forms.BooleanField(
                label=_("Reply to the sender (答复)"), required=False
            )
        elif self.step == "circulate":
            self.fields["readers"] = forms.ModelMultipleChoiceField(
                label=_("Readers"),
                queryset=permissions.reassign_candidates(unit),
                widget=forms.SelectMultiple(attrs={"size": 8}),
                required=False,
                help_text=_("None: the document goes to the close without circulation."),
            )
        elif self.step == "close":
            results = [e.opinion for e in document.trace_entries.all() if e.step == "handle"]
            self.fields["opinion"].initial = results[-1] if results else ""

    @property
    def action_fields(self):
        names = INCOMING_ACTION_FIELDS.get(self.step, [])
        return [self[name] for name in names if name in self.fields]

    def forward_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {"opinion": data.get("opinion", "")}
        if self.step == "review":
            arguments["office_head"] = data.get("office_head")
        elif self.step == "propose":
            instructors = [data.get(name) for name in INSTRUCTOR_FIELDS]
            arguments["instructors"] = [leader for leader in instructors if leader is not None]
        elif self.step == "instruct":
            arguments["lead_department"] = data.get("lead_department")
            arguments["co_departments"] = list(data.get("co_departments") or [])
            arguments["deadline"] = data.get("deadline")
        elif self.step == "handle":
            arguments["needs_reply"] = data.get("needs_reply", False)
        elif self.step == "circulate":
            arguments["readers"] = list(data.get("readers") or [])
        return arguments


class RefuseDeliveryForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning it"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the upload policy in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class PaperRegistrationForm(forms.Form):
    """收文登记 of a paper document: its elements, scanned pages and attachments."""

    unit = forms.ModelChoiceField(label=_("Receiving unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    sender_unit = forms.ModelChoiceField(
        label=_("Sending unit (organization)"),
        queryset=OrgUnit.objects.filter(
            is_active=True, kind__in=[OrgUnit.Kind.HEADQUARTERS, OrgUnit.Kind.UNIT]
        ).order_by("path"),
        required=False,
    )
    sender_name = forms.CharField(
        label=_("Sending body (outside)"),
        max_length=100,
        required=False,
        help_text=_("Type the name when the sender is not in the organization."),
    )
    sender_number = forms.CharField(
        label=_("Sender's document number"), max_length=60, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    classification = forms.ChoiceField(
        label=_("Classification"),
        choices=Classification.choices,
        help_text=_("Classified documents (secret and above) must not enter the system."),
    )
    copies = forms.IntegerField(label=_("Copies received"), min_value=1, max_value=9999, initial=1)
    received_on = forms.DateField(
        label=_("Date received"),
        # The browser's date picker reads and writes ISO dates whatever the language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scans = MultipleFileField(
        label=_("Scanned pages"),
        help_text=_(
            "PDF or images (JPEG, PNG, TIFF), several at once; merged into one PDF in order."
        ),
    )
    attachments = MultipleFileField(label=_("Electronic attachments"), required=False)
    paper_attachments = forms.CharField(
        label=_("Paper-only attachments"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("One name a line."),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["scans"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.tif,.tiff"

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("sender_unit")) == bool((cleaned.get("sender_name") or "").strip()):
            self.add_error("sender_name", _("Choose the sending unit or type its name, not both."))
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        attachments = [
            services.AttachmentInput(name=upload.name, file=upload)
            for upload in data["attachments"]
        ] + [
            services.AttachmentInput(name=name, is_paper_only=True)
            for name in _lines(data["paper_attachments"])
        ]
        return {
            "unit": data["unit"],
            "title": data["title"],
            "sender_unit": data["sender_unit"],
            "sender_name": data["sender_name"],
            "sender_number": data["sender_number"],
            "urgency": data["urgency"],
            "classification": data["classification"],
            "copies": data["copies"],
            "received_on": data["received_on"],
            "scans": data["scans"],
            "attachments": attachments,
        }
