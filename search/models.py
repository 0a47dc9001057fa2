"""What the search app stores: the outbox of index work, the database index, best bets and
statistics."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """One piece of index work, written in the transaction of the change that caused it."""

    class Operation(models.TextChoices):
        SYNC = "sync", _("Bring up to date")
        REMOVE = "remove", _("Remove")

    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("key"), max_length=100)
    op = models.CharField(
        _("operation"), max_length=8, choices=Operation.choices, default=Operation.SYNC
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(done_at__isnull=True),
                name="search_outbox_pending",
            ),
            models.Index(fields=["done_at"], name="search_outbox_done"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(op__in=["sync", "remove"]), name="search_outbox_op_valid"
            ),
        ]

    def __str__(self):
        return f"{self.op} {self.kind}:{self.key}"


class SyncState(models.Model):
    """The outcome of the latest index sends, for the administrators' status screen (one row)."""

    name = models.CharField(max_length=20, unique=True, default="index")
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    building_index = models.CharField(
        _("index being built"),
        max_length=200,
        blank=True,
        help_text=_("While a reindex fills a new Elasticsearch index, changes go there too."),
    )

    class Meta:
        verbose_name = _("search sync state")
        verbose_name_plural = _("search sync states")

    def __str__(self):
        return self.name


class SearchEntryRecord(models.Model):
    """A search entry in the database: the index when there is no Elasticsearch, its fallback else.

    The *_words columns hold jieba-segmented text, the *_grams columns the CJK bigrams, so that a
    two-character query inside a longer word matches as with Elasticsearch's cjk_bigram. The
    full-text index over them is created per database in migration 0002 (PostgreSQL tsvector + GIN,
    SQLite FTS5).
    """

    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("key"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("URL"), max_length=500)
    unit = models.CharField(_("unit"), max_length=32, blank=True, db_index=True)
    unit_name = models.CharField(_("unit name"), max_length=100, blank=True)
    date = models.DateTimeField(_("date"), null=True, blank=True, db_index=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    exact = models.JSONField(_("exact identifiers"), default=list, blank=True)
    # The principals allowed to see the entry; every query checks it inside the SQL (PostgreSQL:
    # jsonb `?|`, SQLite: json_each), so no count, facet or page ever includes a hidden entry.
    access = models.JSONField(_("access"), default=list, blank=True)
    title_words = models.TextField(blank=True)
    title_grams = models.TextField(blank=True)
    body_words = models.TextField(blank=True)
    body_grams = models.TextField(blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_entry_unique_key"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key} {self.title}"


class SearchEntryExact(models.Model):
    """An identifier of an entry that a query equal to it finds first (document number, name)."""

    entry = models.ForeignKey(SearchEntryRecord, on_delete=models.CASCADE, related_name="exacts")
    value = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "value"], name="search_exact_unique_value"),
        ]

    def __str__(self):
        return self.value


class BestBet(models.Model):
    """An editor's pin: a query phrase that shows one entry first, if the searcher may see it."""

    query = models.CharField(
        _("query phrase"),
        max_length=100,
        help_text=_(
            "Searches for exactly this phrase (ignoring case and spaces) show the entry first."
        ),
    )
    normalized_query = models.CharField(max_length=100, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20)
    key = models.CharField(_("key"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("best bet")
        verbose_name_plural = _("best bets")
        ordering = ["normalized_query", "sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalized_query", "kind", "key"], name="search_bestbet_unique"
            ),
        ]

    def __str__(self):
        return f"{self.query} → {self.kind}:{self.key}"

    def save(self, *args, **kwargs):
        from .text import normalize_exact

        self.normalized_query = normalize_exact(self.query)[:100]
        super().save(*args, **kwargs)


class ZeroResultSearch(models.Model):
    """How often a query found nothing, per day and the searcher's unit, for usage statistics."""

    day = models.DateField(_("day"))
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    query = models.CharField(_("query"), max_length=200)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "query"], name="search_zero_result_unique"
            ),
        ]

    def __str__(self):
        return f"{self.day} {self.unit} {self.query}"


class QueryLogEntry(models.Model):
    """One search someone ran (its first page), with how many results it found: the record the
    usage statistics count searches from."""

    searched_at = models.DateTimeField(_("searched at"), db_index=True)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    query = models.CharField(_("query"), max_length=200)
    results = models.PositiveIntegerField(_("results"))

    class Meta:
        verbose_name = _("search query")
        verbose_name_plural = _("search queries")
        ordering = ["-searched_at", "-pk"]

    def __str__(self):
        return f"{self.searched_at:%Y-%m-%d %H:%M} {self.unit} {self.query}"
