"""How people become search entries (the directory's fields), and when they are indexed again.
It lives in search because people imports nothing of ours.

Everyone signed in may find a colleague, so entries are for "all". The mobile number is left out:
who may see it depends on the searcher (people.permissions.can_see_mobile), and the index holds one
entry for all searchers. The office phone is public within the group.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from people.models import AuditEntry, ConcurrentPost, OrgUnit, User

from . import outbox
from .registry import SearchEntry, SearchProvider, register

CHUNK = 500
# Saved on every sign-in or password change; no entry shows them.
NOT_SEARCHED_FIELDS = {"last_login", "password"}


class PersonProvider(SearchProvider):
    kind = "person"
    label = _("People")

    def _people(self):
        return (
            User.objects.filter(is_active=True)
            .select_related("department", "department__unit")
            .prefetch_related("concurrent_posts__department")
            .order_by("pk")
        )

    def entries(self):
        for person in self._people().iterator(chunk_size=CHUNK):
            yield self._entry(person)

    def entry_for(self, key):
        person = self._people().filter(pk=key).first()
        return self._entry(person) if person else None

    def _entry(self, person: User) -> SearchEntry:
        department = person.department
        unit = department.unit if department and department.unit_id else department
        posts = [
            f"{post.department.name} {post.position}".strip()
            for post in person.concurrent_posts.all()
        ]
        body = " ".join(
            filter(
                None,
                [
                    unit.name if unit and unit != department else "",
                    department.name if department else "",
                    person.position,
                    person.office_phone,
                    person.email,
                    person.employee_no or "",
                    *posts,
                ],
            )
        )
        query = urlencode({"q": person.employee_no or person.name})
        return SearchEntry(
            kind=self.kind,
            key=str(person.pk),
            title=person.get_full_name(),
            body=body,
            url=f"{reverse('people:directory')}?{query}",
            unit=unit.code if unit else "",
            unit_name=unit.display_name if unit else "",
            tags=tuple(filter(None, [person.name_initials])),
            exact=tuple(filter(None, [person.name, person.employee_no, person.username])),
            access=("all",),
        )


register(PersonProvider())


@receiver(post_save, sender=User)
def reindex_person(sender, instance, update_fields=None, **kwargs):
    """Saving, disabling or enabling an account queues its entry (disabled: removed)."""
    if update_fields and set(update_fields) <= NOT_SEARCHED_FIELDS:
        return
    outbox.enqueue("person", str(instance.pk))


@receiver(post_delete, sender=User)
def remove_person(sender, instance, **kwargs):
    outbox.enqueue_removal("person", str(instance.pk))


@receiver(post_save, sender=ConcurrentPost)
@receiver(post_delete, sender=ConcurrentPost)
def reindex_post_holder(sender, instance, **kwargs):
    outbox.enqueue("person", str(instance.user_id))


@receiver(post_save, sender=OrgUnit)
def reindex_members(sender, instance, created, **kwargs):
    """A renamed unit or department shows in its members' entries."""
    if created:
        return
    members = User.objects.filter(department__path__startswith=instance.path, is_active=True)
    outbox.enqueue_many("person", [str(pk) for pk in members.values_list("pk", flat=True)])


@receiver(post_save, sender=AuditEntry)
def reindex_after_hr_import(sender, instance, created, **kwargs):
    """The HR import writes accounts in bulk (no signals) and records one audit entry for it."""
    if created and instance.action == AuditEntry.Action.USERS_IMPORTED:
        outbox.enqueue_many("person", [str(pk) for pk in User.objects.values_list("pk", flat=True)])
