from django.dispatch import receiver
from django_auth_ldap.backend import populate_user

from .services import name_initials


@receiver(populate_user)
def set_name_initials_of_ldap_users(sender, user, ldap_user, **kwargs):
    # Accounts created at a first LDAP login never pass through user_create.
    user.name_initials = name_initials(user.name)
