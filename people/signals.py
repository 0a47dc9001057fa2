from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_auth_ldap.backend import populate_user

from .caching import forget_directory, forget_everyone, forget_user
from .models import ConcurrentPost, OrgUnit, PermissionRequest, RoleAssignment, User
from .services import name_initials, sessions_end

# Saved on every sign-in or password change; the directory shows neither.
NOT_IN_DIRECTORY = {"last_login", "password"}


@receiver(populate_user)
def set_name_initials_of_ldap_users(sender, user, ldap_user, **kwargs):
    # Accounts created at a first LDAP login never pass through user_create.
    user.name_initials = name_initials(user.name)


@receiver([post_save, post_delete], sender=User)
def forget_cached_account(sender, instance, update_fields=None, **kwargs):
    forget_user(instance.pk)
    if not (update_fields and set(update_fields) <= NOT_IN_DIRECTORY):
        forget_directory()


@receiver([post_save, post_delete], sender=ConcurrentPost)
@receiver([post_save, post_delete], sender=RoleAssignment)
def forget_cached_posts_and_roles(sender, instance, **kwargs):
    forget_user(instance.user_id)
    if sender is ConcurrentPost:
        forget_directory()


@receiver([post_save, post_delete], sender=PermissionRequest)
def forget_cached_requests(sender, instance, **kwargs):
    forget_user(instance.requester_id)


@receiver(m2m_changed, sender=User.groups.through)
def forget_cached_groups(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        forget_user(instance.pk)
    elif pk_set is None:  # a group cleared of all its members
        forget_everyone()
    else:
        for user_id in pk_set:
            forget_user(user_id)


@receiver([post_save, post_delete], sender=Group)
def forget_cached_group_names(sender, **kwargs):
    forget_everyone()


@receiver([post_save, post_delete], sender=OrgUnit)
def forget_cached_organization(sender, instance, **kwargs):
    forget_everyone()


@receiver(user_logged_out)
def end_sessions_on_sign_out(sender, request, user, **kwargs):
    # A signed-cookie session cannot be deleted on the server: a copy of the cookie would keep
    # working until it expired. Signing out ends the user's sessions everywhere instead.
    if user is not None:
        sessions_end(user)
