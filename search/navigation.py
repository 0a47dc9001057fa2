from django.utils.translation import gettext_lazy as _

from intranet.navigation import MenuItem, register

register(MenuItem(key="search", label=_("Search"), order=70, url_name="search:search"))
