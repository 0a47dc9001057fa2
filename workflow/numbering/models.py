"""Document numbers: outgoing ones (发文字号) and incoming registration numbers (收文编号);
prefixes (文件代字), yearly counters, issued numbers.

A unit's incoming numbers run on its one incoming prefix (e.g. 收), so their counter is per
(unit, year) and they sit in the same register as its outgoing numbers. A counter row per
(prefix, year) is the single point of serialisation: `services.assign_number`
takes it under a row lock, so serials are continuous and never duplicated. Issued numbers are
never deleted or reused; a number given to a cancelled document is voided with a reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.append_only import AppendOnlyModel


class DocumentPrefix(models.Model):
    """A 文件代字 of a unit, e.g. 一拖 for the unit, 一拖办 for its office; or the unit's one
    incoming prefix, e.g. 收, which numbers its incoming register."""

    class Purpose(models.TextChoices):
        OUTGOING = "outgoing", _("Outgoing documents")
        INCOMING = "incoming", _("Incoming documents")

    class NumberFormat(models.TextChoices):
        BRACKETED = "bracketed", _("Prefix〔year〕serial号, e.g. 收〔2026〕37号")
        YEAR_SERIAL = "year_serial", _("Year-serial, e.g. 2026-0037")

    unit = models.ForeignKey(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="document_prefixes",
        help_text=_("The headquarters or second-level unit that numbers with this prefix."),
    )
    text = models.CharField(_("prefix"), max_length=20, help_text=_("For example 一拖 or 东重办."))
    is_active = models.BooleanField(_("in use"), default=True)
    is_order = models.BooleanField(
        _("order numbers"),
        default=False,
        help_text=_("For orders (命令): numbers read 第15号 and are counted on their own."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    purpose = models.CharField(
        _("numbers"), max_length=10, choices=Purpose.choices, default=Purpose.OUTGOING
    )
    number_format = models.CharField(
        _("number format"),
        max_length=12,
        choices=NumberFormat.choices,
        default=NumberFormat.BRACKETED,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document prefix")
        verbose_name_plural = _("document prefixes")
        ordering = ["unit", "order", "text"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "text"], name="documentprefix_unique_text"),
            models.CheckConstraint(condition=~Q(text=""), name="documentprefix_text_not_empty"),
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(purpose="incoming"),
                name="documentprefix_one_incoming_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(purpose="incoming") | Q(number_format="bracketed"),
                name="documentprefix_outgoing_bracketed",
            ),
        ]

    def __str__(self):
        return self.text


class NumberCounter(models.Model):
    """The next serial of a prefix in a year; the row locked while a number is issued."""

    prefix = models.ForeignKey(
        DocumentPrefix, verbose_name=_("prefix"), on_delete=models.PROTECT, related_name="counters"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    next_serial = models.PositiveIntegerField(_("next serial"), default=1)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="numbercounter_unique_year"),
            models.CheckConstraint(
                condition=Q(next_serial__gte=1), name="numbercounter_next_serial_positive"
            ),
        ]

    def __str__(self):
        return f"{self.prefix} {self.year}: {self.next_serial}"


class IssuedNumberQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("Issued numbers are never deleted; void them instead.")


class IssuedNumber(models.Model):
    """A number given out, e.g. 一拖〔2026〕15号; voided (作废) with a reason, never reused."""

    prefix = models.ForeignKey(
        DocumentPrefix, verbose_name=_("prefix"), on_delete=models.PROTECT, related_name="numbers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    text = models.CharField(_("document number"), max_length=60, db_index=True)
    subject = models.CharField(
        _("subject"),
        max_length=300,
        blank=True,
        help_text=_("The title of the document the number was given to, for the register."),
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)

    objects = IssuedNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued number")
        verbose_name_plural = _("issued numbers")
        ordering = ["prefix", "-year", "-serial"]
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year", "serial"], name="issuednumber_unique_serial"
            ),
            models.CheckConstraint(condition=Q(serial__gte=1), name="issuednumber_serial_positive"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True, void_reason="")
                | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="issuednumber_void_has_reason",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    def delete(self, *args, **kwargs):
        raise PermissionError("Issued numbers are never deleted; void them instead.")


class NumberingChange(AppendOnlyModel):
    """Who changed a prefix, moved a serial or voided a number, when, from what to what."""

    class Action(models.TextChoices):
        PREFIX_CREATED = "prefix_created", _("Prefix created")
        PREFIX_UPDATED = "prefix_updated", _("Prefix edited")
        NEXT_SERIAL_SET = "next_serial_set", _("Next serial moved forward")
        NUMBER_VOIDED = "number_voided", _("Number voided")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    unit = models.ForeignKey(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    prefix = models.ForeignKey(
        DocumentPrefix, verbose_name=_("prefix"), on_delete=models.PROTECT, related_name="changes"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    append_only_refusal = "The numbering log is append-only."

    class Meta:
        verbose_name = _("numbering change")
        verbose_name_plural = _("numbering log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.prefix}"

    @property
    def summary(self) -> str:
        """What changed, in words, for the log on the clerk's screen."""
        if self.action == self.Action.NEXT_SERIAL_SET:
            return _("%(year)s: next serial %(before)s → %(after)s") % {
                "year": self.year,
                "before": self.before.get("next_serial"),
                "after": self.after.get("next_serial"),
            }
        if self.action == self.Action.NUMBER_VOIDED:
            return _("%(number)s voided: %(reason)s") % {
                "number": self.before.get("number"),
                "reason": self.reason,
            }
        labels = {
            "text": _("prefix"),
            "order": _("order"),
            "is_active": _("in use"),
            "number_format": _("number format"),
        }
        return "; ".join(
            f"{labels[field]}: {_shown(self.before.get(field))} → {_shown(self.after.get(field))}"
            if self.before
            else f"{labels[field]}: {_shown(self.after.get(field))}"
            for field in labels
            if field in self.after
            and (not self.before or self.before.get(field) != self.after.get(field))
        )


def _shown(value) -> str:
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value in DocumentPrefix.NumberFormat.values:
        return str(DocumentPrefix.NumberFormat(value).label)
    return "—" if value is None else str(value)
