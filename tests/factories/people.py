import factory
from factory.django import DjangoModelFactory

from people.models import OrgUnit, Role, RoleAssignment, User
from people.services import name_initials, org_unit_create

TEST_PASSWORD = "Test-pass-2026"


class OrgUnitFactory(factory.Factory):
    """Org units go through the service, which places them in the tree."""

    class Meta:
        model = OrgUnit

    parent = None
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgUnit.Kind.UNIT

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return org_unit_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Org units only exist in the tree; use create().")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"员工{n}")
    name_initials = factory.LazyAttribute(lambda user: name_initials(user.name))
    employee_no = factory.Sequence(lambda n: f"T{n:05d}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    password = factory.django.Password(TEST_PASSWORD)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.FILE_CLERK
    unit = factory.SubFactory(OrgUnitFactory)
