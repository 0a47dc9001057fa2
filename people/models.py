"""The organization tree, real-name accounts and scoped roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgUnit(MP_Node):
    """A node of the organization: the headquarters, a second-level unit or a department."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "headquarters", _("Group headquarters")
        UNIT = "unit", _("Second-level unit")
        DEPARTMENT = "department", _("Department")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    doc_prefix = models.CharField(
        _("document prefix"),
        max_length=20,
        blank=True,
        help_text=_("The 代字 used in outgoing document numbers, e.g. 东重办."),
    )

    unit = models.ForeignKey(
        "self",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_(
            "The headquarters or second-level unit this node belongs to (itself for those)."
        ),
    )

    node_order_by = ["sort_order", "code"]

    class Meta:
        verbose_name = _("organization unit")
        verbose_name_plural = _("organization units")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["headquarters", "unit", "department"]),
                name="orgunit_kind_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_unit_level(self) -> bool:
        """Headquarters and second-level units each run their own office, clerks and numbering."""
        return self.kind in {self.Kind.HEADQUARTERS, self.Kind.UNIT}


class User(AbstractUser):
    """A real-name account. The username is the employee's login (工号)."""

    name = models.CharField(_("full name"), max_length=50)
    employee_no = models.CharField(
        _("employee number"), max_length=32, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        OrgUnit,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    position = models.CharField(_("position"), max_length=50, blank=True)
    is_leader = models.BooleanField(_("leader"), default=False)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    office_phone = models.CharField(_("office phone"), max_length=20, blank=True)

    REQUIRED_FIELDS = ["email", "name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name()

    def get_full_name(self) -> str:
        return self.name or self.get_username()

    def get_short_name(self) -> str:
        return self.get_full_name()


class Role(models.TextChoices):
    """The roles of gongwen.md §11; an ordinary user (普通用户) is one who holds none of these."""

    SYSTEM_ADMIN = "system_admin", _("System administrator")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    PROCESS_ADMIN = "process_admin", _("Process administrator")
    COLUMN_ADMIN = "column_admin", _("Column administrator")
    FILE_CLERK = "file_clerk", _("Document clerk")


class RoleAssignment(models.Model):
    """A role held by a user, scoped to the unit whose subtree it covers (none for system-wide)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
        null=True,
        blank=True,
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="roleassignment_unique_scoped"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(unit__isnull=True),
                name="roleassignment_unique_global",
            ),
            models.CheckConstraint(
                condition=Q(role="system_admin") | Q(unit__isnull=False),
                name="roleassignment_scoped_roles_have_unit",
            ),
        ]

    def __str__(self):
        scope = self.unit.display_name if self.unit_id else _("whole group")
        return f"{self.get_role_display()} ({scope})"
