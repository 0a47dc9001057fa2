"""Operations that change documents, one function per business action, by concern:

- `errors`: `DocumentError`, `TaskAlreadyHandled`, `require`;
- `documents`: the elements every document shares (classification, title, body, recipients);
- `uploads`: the body's Word file and attachments, under the upload policy;
- `engine`: acting on any flow's tasks — complete, return, withdraw, reassign, cancel, trace;
- `outgoing`: the outgoing document (发文) and the action of each of its steps;
- `incoming`: the incoming document (收文): registration with the unit's incoming number, which
  starts its flow, and the action of each of its steps;
- `exchange`: the electronic exchange: deliveries, sign-for (签收), refusal (退文), resend,
  and closing (办结) the dispatched outgoing document;
- `paper`: registering a paper document with its merged scan, read in the background (OCR);
- `delegations`: a leader's tasks handed to a deputy (委托);
- `flow_rules`: a unit's rules for choosing its signing leaders;
- `calendar`: the group's working-day calendar over China's official one.

The names other code uses are importable from here.
"""

from .calendar import calendar_day_clear, calendar_day_set
from .delegations import delegation_create, delegation_revoke
from .engine import (
    COMMON_PHRASES,
    can_withdraw,
    returnable_steps,
    task_open,
    task_reassign,
    task_return,
    task_withdraw,
)
from .errors import DocumentError, TaskAlreadyHandled
from .exchange import (
    DeliveryAlreadyHandled,
    delivery_refuse,
    delivery_resend,
    delivery_sign_for,
    outgoing_close,
)
from .flow_rules import flow_rules_update
from .incoming import (
    INCOMING_STEP_ACTIONS,
    close_document,
    incoming_cancel,
    incoming_register,
    on_refusal,
    reply_draft,
    review_refuse,
)
from .outgoing import (
    STEP_ACTIONS,
    check_approve,
    countersign_approve,
    dispatch_send,
    document_create,
    document_update,
    draft_submit,
    number_assign,
    process_cancel,
    proofread_confirm,
    red_head_render,
    seal_apply,
    sign_off_approve,
    sign_off_reject,
    verify_approve,
)
from .paper import AttachmentInput, paper_register, scan_read_again
from .uploads import attachment_add, attachment_remove

__all__ = [
    "COMMON_PHRASES",
    "INCOMING_STEP_ACTIONS",
    "STEP_ACTIONS",
    "AttachmentInput",
    "DeliveryAlreadyHandled",
    "DocumentError",
    "TaskAlreadyHandled",
    "attachment_add",
    "attachment_remove",
    "calendar_day_clear",
    "calendar_day_set",
    "can_withdraw",
    "check_approve",
    "close_document",
    "countersign_approve",
    "delegation_create",
    "delegation_revoke",
    "delivery_refuse",
    "delivery_resend",
    "delivery_sign_for",
    "dispatch_send",
    "document_create",
    "document_update",
    "draft_submit",
    "flow_rules_update",
    "incoming_cancel",
    "incoming_register",
    "number_assign",
    "on_refusal",
    "outgoing_close",
    "paper_register",
    "process_cancel",
    "proofread_confirm",
    "red_head_render",
    "reply_draft",
    "returnable_steps",
    "review_refuse",
    "scan_read_again",
    "seal_apply",
    "sign_off_approve",
    "sign_off_reject",
    "task_open",
    "task_reassign",
    "task_return",
    "task_withdraw",
    "verify_approve",
]
