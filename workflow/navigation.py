from django.utils.translation import gettext_lazy as _

from intranet.navigation import MenuItem, register

register(MenuItem(key="documents", label=_("Documents"), order=50, url_name="workflow:index"))
