from .people import OrgUnitFactory, RoleAssignmentFactory, UserFactory

__all__ = ["OrgUnitFactory", "RoleAssignmentFactory", "UserFactory"]
