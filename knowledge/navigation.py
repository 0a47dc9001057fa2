from django.utils.translation import gettext_lazy as _

from intranet.navigation import MenuItem, register

register(
    MenuItem(
        key="knowledge",
        label=_("Knowledge"),
        order=40,
        section="knowledge",
        # The file views and category access screens sit outside the page tree.
        also_active_under=("/knowledge-center/",),
    )
)
