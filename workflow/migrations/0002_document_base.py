"""The common document base: `Document` takes the elements every kind shares, and trace
entries, attachments and recipients hang off it; `OutgoingDocument` extends it by multi-table
inheritance. Each existing outgoing document gets a `Document` row with its own id, so every
foreign key and the trace's hash chain (which covers the document id) stay as they were.
Not reversible: the moved columns cannot come back as NOT NULL columns of existing rows."""

import django.db.models.deletion
from django.db import migrations, models

MOVED = ("title", "classification", "urgency", "unit_id", "created_at", "updated_at")


class SetBases(migrations.operations.base.Operation):
    """Let the migration state of a model inherit from another (Django has no operation for
    it); the tables are changed by the operations around it."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, name, bases, old_bases):
        self.name, self.bases, self.old_bases = name, bases, old_bases

    def deconstruct(self):
        kwargs = {"name": self.name, "bases": self.bases, "old_bases": self.old_bases}
        return self.__class__.__qualname__, [], kwargs

    def _set(self, state, app_label, bases):
        state.models[app_label, self.name.lower()].bases = bases
        state.reload_model(app_label, self.name.lower(), delay=True)

    def state_forwards(self, app_label, state):
        self._set(state, app_label, self.bases)

    def state_backwards(self, app_label, state):
        self._set(state, app_label, self.old_bases)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return f"Make {self.name} inherit from {', '.join(self.bases)}"


def copy_to_base(apps, schema_editor):
    document = apps.get_model("workflow", "Document")._meta.db_table
    outgoing = apps.get_model("workflow", "OutgoingDocument")._meta.db_table
    columns = ", ".join(MOVED)
    schema_editor.execute(
        f"INSERT INTO {document} (id, kind, {columns}) "
        f"SELECT id, 'outgoing', {columns} FROM {outgoing}"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"SELECT setval(pg_get_serial_sequence('{document}', 'id'), "
            f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {document}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_people_and_access"),
        ("workflow", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("outgoing", "Outgoing document")],
                        editable=False,
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "classification",
                    models.CharField(
                        choices=[
                            ("non_secret", "Non-secret"),
                            ("internal", "Internal"),
                            ("secret", "Secret"),
                            ("confidential", "Confidential"),
                            ("top_secret", "Top secret"),
                        ],
                        default="non_secret",
                        max_length=20,
                        verbose_name="classification",
                    ),
                ),
                (
                    "urgency",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("", "Normal"),
                            ("urgent", "Expedited"),
                            ("very_urgent", "Very urgent"),
                        ],
                        default="",
                        max_length=20,
                        verbose_name="urgency",
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(
                        auto_now_add=True, db_index=True, verbose_name="created at"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="people.orgunit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "document",
                "verbose_name_plural": "documents",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("classification__in", ["non_secret", "internal"])),
                        name="document_not_classified",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("title", ""), _negated=True),
                        name="document_title_not_empty",
                    ),
                ],
            },
        ),
        migrations.RemoveConstraint(
            model_name="outgoingdocument", name="outgoingdocument_not_classified"
        ),
        migrations.RemoveConstraint(
            model_name="outgoingdocument", name="outgoingdocument_title_not_empty"
        ),
        migrations.RunPython(copy_to_base),
        migrations.AlterField(
            model_name="traceentry",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="trace_entries",
                to="workflow.document",
                verbose_name="document",
            ),
        ),
        migrations.AlterField(
            model_name="documentattachment",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="workflow.document",
            ),
        ),
        migrations.AlterField(
            model_name="documentrecipient",
            name="document",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="recipients",
                to="workflow.document",
            ),
        ),
        migrations.RemoveField(model_name="outgoingdocument", name="title"),
        migrations.RemoveField(model_name="outgoingdocument", name="classification"),
        migrations.RemoveField(model_name="outgoingdocument", name="urgency"),
        migrations.RemoveField(model_name="outgoingdocument", name="unit"),
        migrations.RemoveField(model_name="outgoingdocument", name="created_at"),
        migrations.RemoveField(model_name="outgoingdocument", name="updated_at"),
        migrations.RenameField(
            model_name="outgoingdocument", old_name="id", new_name="document_ptr"
        ),
        migrations.AlterField(
            model_name="outgoingdocument",
            name="document_ptr",
            field=models.OneToOneField(
                auto_created=True,
                on_delete=django.db.models.deletion.CASCADE,
                parent_link=True,
                primary_key=True,
                serialize=False,
                to="workflow.document",
            ),
        ),
        SetBases("OutgoingDocument", bases=("workflow.document",), old_bases=(models.Model,)),
    ]
