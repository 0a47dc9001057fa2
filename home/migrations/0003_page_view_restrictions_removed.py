"""Page privacy is not a rule of the intranet (see intranet/pages.py): restrictions set before
are removed, so no editor believes a page is private while the lists, API, feeds and search show it.
"""

from django.db import migrations


def remove_page_view_restrictions(apps, schema_editor):
    apps.get_model("wagtailcore", "PageViewRestriction").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_noticeindexpage_direct_publish_and_more"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_page_view_restrictions, migrations.RunPython.noop)]
