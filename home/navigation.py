"""The home page, news and notices in the main navigation; the content administration for
editors in the user menu."""

from django.utils.translation import gettext_lazy as _

from intranet.navigation import USER, MenuItem, register
from people.permissions import may_edit_content

register(MenuItem(key="home", label=_("Home"), order=10, url="/"))
register(MenuItem(key="news", label=_("News"), order=20, section="news"))
register(MenuItem(key="notices", label=_("Notices"), order=30, section="notices"))
register(
    MenuItem(
        key="content-admin",
        label=_("Content administration"),
        order=90,
        menu=USER,
        url_name="wagtailadmin_home",
        visible_to=may_edit_content,
    )
)
