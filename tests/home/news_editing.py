"""Posting the news editor in Wagtail's admin, for the editorial and ownership tests."""

from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield


def news_form(title, slug, action=None, **fields):
    """The news editor's form; `action` is the button pressed (e.g. "action-submit")."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "subtitle": "",
            "source": "",
            "author": "",
            "news_date": "2026-03-02",
            "summary": "",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
            "tags": "",
        }
    )
    if action:
        data[action] = action
    data.update(fields)
    return data


def add_url(parent):
    return reverse("wagtailadmin_pages:add", args=("home", "newspage", parent.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))
