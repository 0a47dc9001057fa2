"""The organization tree, real-name accounts and scoped roles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from core.append_only import AppendOnlyModel


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

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    name = models.CharField(_("full name"), max_length=50)
    name_initials = models.CharField(
        _("pinyin initials"),
        max_length=50,
        blank=True,
        db_index=True,
        help_text=_(
            "Lower-case pinyin initials of the name, e.g. zs for 张三; set by the services."
        ),
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    entry_date = models.DateField(_("entry date"), null=True, blank=True)
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
    # Part of every session's signature (sessions live in signed cookies): raising it ends all of
    # the user's sessions, on every device and app process (see people.services.sessions_end).
    session_generation = models.PositiveIntegerField(
        _("session generation"), default=0, editable=False
    )

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

    def _get_session_auth_hash(self, secret=None):
        # Django signs the password hash into the session, so a password change ends sessions;
        # the generation does the same for signing out.
        key_salt = "people.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class ConcurrentPost(models.Model):
    """A post held in another department besides the primary one (兼职)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="concurrent_posts"
    )
    department = models.ForeignKey(
        OrgUnit, verbose_name=_("department"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.CharField(_("position"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("concurrent post")
        verbose_name_plural = _("concurrent posts")
        constraints = [
            models.UniqueConstraint(fields=["user", "department"], name="concurrentpost_unique")
        ]

    def __str__(self):
        return f"{self.department} {self.position}".strip()


class Role(models.TextChoices):
    """The roles of gongwen.md §11; an ordinary user (普通用户) is one who holds none of these."""

    SYSTEM_ADMIN = "system_admin", _("System administrator")
    UNIT_ADMIN = "unit_admin", _("Unit administrator")
    PROCESS_ADMIN = "process_admin", _("Process administrator")
    COLUMN_ADMIN = "column_admin", _("Column administrator")
    FILE_CLERK = "file_clerk", _("Document clerk")
    SECRETARY = "secretary", _("Office secretary")
    SEAL_KEEPER = "seal_keeper", _("Seal keeper")
    ARCHIVIST = "archivist", _("Archivist")


class RoleAssignment(models.Model):
    """A role held by a user, scoped to the unit whose subtree it covers (none for system-wide).

    A column administrator's grant may also name the column (a page of the news or notice tree)
    it covers; the publishing app maps these grants onto Wagtail page permissions.
    """

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
    column = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("column"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(column__isnull=True),
                name="roleassignment_unique_scoped",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "column"],
                condition=Q(column__isnull=False),
                name="roleassignment_unique_column",
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
        if self.column_id:
            scope = f"{scope} · {self.column.title}"
        return f"{self.get_role_display()} ({scope})"


class AuditEntry(AppendOnlyModel):
    """Who changed which account, role, unit or right, when and from where. Never changed."""

    class Action(models.TextChoices):
        USER_CREATED = "user_created", _("Account created")
        USER_UPDATED = "user_updated", _("Account edited")
        USER_DISABLED = "user_disabled", _("Account disabled")
        USER_ENABLED = "user_enabled", _("Account enabled")
        PASSWORD_RESET = "password_reset", _("Password reset")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        ROLE_GRANTED = "role_granted", _("Role granted")
        ROLE_REVOKED = "role_revoked", _("Role revoked")
        UNIT_CREATED = "unit_created", _("Organization unit created")
        UNIT_UPDATED = "unit_updated", _("Organization unit edited")
        USERS_IMPORTED = "users_imported", _("Accounts imported from HR")
        REQUEST_SUBMITTED = "request_submitted", _("Permission change requested")
        REQUEST_APPROVED = "request_approved", _("Permission change approved")
        REQUEST_REJECTED = "request_rejected", _("Permission change rejected")
        ACCOUNT_UNLOCKED = "account_unlocked", _("Account unlocked")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    target_user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("The unit the change concerns, for filtering by unit."),
    )
    summary = models.CharField(_("summary"), max_length=300)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    append_only_refusal = "The audit log is append-only."

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.summary


class PermissionRequest(models.Model):
    """A user's request for a role or a column right (权限变更申请), and its decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    requester = models.ForeignKey(
        User,
        verbose_name=_("requester"),
        on_delete=models.CASCADE,
        related_name="permission_requests",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    column = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("column"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("permission change request")
        verbose_name_plural = _("permission change requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.requester} · {self.get_role_display()}"
