"""The demo knowledge center (data: demo/data/knowledge.yaml): a category tree with articles and
generated files, one category open to a single unit.

Every category and item is looked up by its slug below its parent and only added when missing.
The files are generated here (demo/samplefiles.py); their text is extracted by the task after the
commit.
"""

from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Page
from wagtail.rich_text import RichText

from knowledge.models import (
    CategoryAccess,
    KnowledgeArticlePage,
    KnowledgeCategoryPage,
    KnowledgeFilePage,
    KnowledgeItemPage,
)
from knowledge.services import category_access_update, file_version_add, knowledge_root_ensure
from people.models import OrgUnit, User

from . import samplefiles
from .dates import DemoCalendar

FIRST_VERSION_NOTE = "首次发布"


def knowledge_demo_ensure(home: Page, data: dict, calendar: DemoCalendar) -> None:
    editors = data["editors"]
    restricted_spec = data["restricted"]
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[editors["top"], editors["restricted"], "sysadmin"]
        )
    }
    units = {
        unit.code: unit for unit in OrgUnit.objects.filter(code__in=["HQ", restricted_spec["unit"]])
    }
    if "sysadmin" not in users or "HQ" not in units:
        return
    administrator = users["sysadmin"]
    top_editor = users.get(editors["top"])
    root = knowledge_root_ensure(home)
    categories: dict[tuple[str, ...], KnowledgeCategoryPage] = {}
    for spec in data["categories"]:
        top = _category(root, spec["slug"], spec["title"], units.get(spec["owner_unit"]))
        categories[(spec["slug"],)] = top
        if top_editor and not CategoryAccess.objects.filter(category=top).exists():
            category_access_update(
                category=top,
                user=administrator,
                view_rule=CategoryAccess.ViewRule.INHERIT,
                edit_users=[top_editor],
            )
        for child in spec.get("children", ()):
            categories[(spec["slug"], child["slug"])] = _category(
                top, child["slug"], child["title"], top.owner_unit
            )
    _restrict(categories[tuple(restricted_spec["path"])], units.get(restricted_spec["unit"]),
              users.get(editors["restricted"]), administrator)  # fmt: skip

    for spec in data["articles"]:
        parent = categories[tuple(spec["category"])]
        if KnowledgeArticlePage.objects.child_of(parent).filter(slug=spec["slug"]).exists():
            continue
        user = users.get(spec["owner"], administrator)
        body = [
            (kind, RichText(value) if kind == "paragraph" else calendar.text(value))
            for block in spec["body"]
            for kind, value in block.items()
        ]
        page = KnowledgeArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            summary=calendar.text(spec["summary"]),
            body=body,
            keywords=spec["keywords"],
            owner_unit=parent.owner_unit or units["HQ"],
            owner=user,
            responsible=user,
        )
        _publish(parent, page, user, calendar.day(spec["review_in_days"]))

    for spec in data["file_items"]:
        parent = categories[tuple(spec["category"])]
        if KnowledgeFilePage.objects.child_of(parent).filter(slug=spec["slug"]).exists():
            continue
        user = users.get(spec["owner"], administrator)
        page = KnowledgeFilePage(
            title=spec["title"],
            slug=spec["slug"],
            description=f"<p>{calendar.text(spec['description'])}</p>",
            keywords=spec["keywords"],
            owner_unit=parent.owner_unit or units["HQ"],
            owner=user,
            responsible=user,
        )
        page = _publish(parent, page, user, calendar.day(spec["review_in_days"]))
        file = None
        for key in spec["files"]:
            file_spec = data["files"][key]
            version = file_version_add(
                item=page,
                user=user,
                uploaded=SimpleUploadedFile(file_spec["name"], generated_file(file_spec, calendar)),
                file=file,
                change_note=file_spec.get("change_note", FIRST_VERSION_NOTE),
            )
            file = version.file


def generated_file(spec: dict, calendar: DemoCalendar) -> bytes:
    """The bytes of a demo file as its data describes them."""
    pages = partial(_pages, calendar)
    if spec["kind"] == "text_pdf":
        return samplefiles.text_pdf(calendar.text(spec["title"]), pages(spec["pages"]))
    if spec["kind"] == "scanned_pdf":
        return samplefiles.scanned_pdf(pages(spec["pages"]))
    if spec["kind"] == "docx":
        return samplefiles.docx_file(
            calendar.text(spec["title"]), calendar.texts(spec["paragraphs"]), spec.get("table")
        )
    if spec["kind"] == "xlsx":
        return samplefiles.xlsx_file(spec["sheets"])
    raise ValueError(f"Unknown demo file kind: {spec['kind']}")


def _pages(calendar: DemoCalendar, pages: list[list[str]]) -> list[list[str]]:
    return [calendar.texts(lines) for lines in pages]


def _restrict(category: KnowledgeCategoryPage, unit, editor, administrator) -> None:
    """The category only `unit` sees, edited by `editor`."""
    if unit is None or CategoryAccess.objects.filter(category=category).exists():
        return
    if category.owner_unit_id != unit.pk:
        category.owner_unit = unit
        category.save_revision(user=administrator).publish()
    category_access_update(
        category=category,
        user=administrator,
        view_rule=CategoryAccess.ViewRule.RESTRICTED,
        view_units=[unit],
        edit_users=[editor] if editor else [],
    )


def _category(parent: Page, slug: str, title: str, unit) -> KnowledgeCategoryPage:
    existing = KnowledgeCategoryPage.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    page = parent.add_child(instance=KnowledgeCategoryPage(title=title, slug=slug, owner_unit=unit))
    page.save_revision().publish()
    return page


def _publish(parent: Page, page: KnowledgeItemPage, user, review_date) -> KnowledgeItemPage:
    page = parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    # The review date is the demo's, not the year a new item gets.
    KnowledgeItemPage.objects.filter(pk=page.pk).update(review_date=review_date)
    page.refresh_from_db()
    return page
