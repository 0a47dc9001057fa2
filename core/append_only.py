"""Rows written once and never changed or deleted, through any ORM path (the audit log, the trace,
the numbering log). Each model names the refusal its errors carry."""

from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(self.model.append_only_refusal)

    def bulk_update(self, *args, **kwargs):
        raise PermissionError(self.model.append_only_refusal)

    def delete(self):
        raise PermissionError(self.model.append_only_refusal)


class AppendOnlyModel(models.Model):
    append_only_refusal = "These rows are append-only."

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(self.append_only_refusal)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(self.append_only_refusal)
