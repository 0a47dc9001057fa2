"""Per-unit red-head templates: what a unit prints in the header and footer of its documents."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_MARK_COLOUR = "#E60012"


class PrintFormat(models.TextChoices):
    """The layouts of GB/T 9704: the 文件格式 and the special formats of §10."""

    STANDARD = "standard", _("Document format")
    LETTER = "letter", _("Letter format")
    ORDER = "order", _("Order format")
    MINUTES = "minutes", _("Minutes format")


class RedheadTemplate(models.Model):
    """The 发文机关标志, its colours, the signature (落款) and the printing office (印发机关) of a
    unit's outgoing documents."""

    unit = models.OneToOneField(
        "people.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="redhead_template",
    )
    issuer_mark = models.CharField(
        _("issuer mark"),
        max_length=40,
        help_text=_("The red title of the document head (发文机关标志), e.g. 东方重工集团文件."),
    )
    mark_colour = models.CharField(
        _("mark colour"), max_length=7, default=DEFAULT_MARK_COLOUR, help_text=_("e.g. #E60012")
    )
    separator_colour = models.CharField(
        _("separator colour"),
        max_length=7,
        default=DEFAULT_MARK_COLOUR,
        help_text=_("The rule under the document number, e.g. #E60012"),
    )
    signature_unit = models.CharField(
        _("signature"),
        max_length=60,
        help_text=_("The issuer's name above the date (发文机关署名)."),
    )
    printing_unit = models.CharField(
        _("printing office"),
        max_length=60,
        help_text=_("Printed in the footer before the printing date (印发机关), e.g. 集团办公室."),
    )
    letter_mark = models.CharField(
        _("letter mark"),
        max_length=40,
        blank=True,
        help_text=_("The mark of letters (信函格式, without 文件); empty: the unit's name."),
    )
    order_mark = models.CharField(
        _("order mark"),
        max_length=40,
        blank=True,
        help_text=_(
            "The mark of orders (命令格式), e.g. 东方重工集团有限公司令; empty: name + 令."
        ),
    )
    minutes_mark = models.CharField(
        _("minutes mark"),
        max_length=40,
        blank=True,
        help_text=_("The mark of minutes (纪要格式), e.g. 集团办公会纪要; empty: name + 纪要."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("red-head template")
        verbose_name_plural = _("red-head templates")
        constraints = [
            models.CheckConstraint(
                condition=~Q(issuer_mark="") & ~Q(signature_unit="") & ~Q(printing_unit=""),
                name="redheadtemplate_texts_not_empty",
            ),
        ]

    def __str__(self):
        return self.issuer_mark

    def mark_for(self, print_format: str) -> str:
        """The issuer mark printed in `print_format`."""
        name = self.unit.name
        marks = {
            PrintFormat.LETTER: self.letter_mark or name,
            PrintFormat.ORDER: self.order_mark or f"{name}令",
            PrintFormat.MINUTES: self.minutes_mark or f"{name}纪要",
        }
        return marks.get(print_format, self.issuer_mark)
