"""The blocks that page bodies share (news and knowledge articles), with their templates.

Block names are chosen by each app's body; these classes only decide how a block is edited and
shown, so their stored values are the same as the Wagtail blocks they extend.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class ParagraphBlock(blocks.RichTextBlock):
    class Meta:
        label = _("Paragraph")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        label = _("Heading")
        form_classname = "title"


class PlainImageBlock(ImageChooserBlock):
    class Meta:
        label = _("Image")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        label = _("Image")
        template = "blocks/image.html"


class EmbeddedDocumentBlock(DocumentChooserBlock):
    class Meta:
        label = _("Embedded file")
        template = "blocks/document.html"


class DataTableBlock(TableBlock):
    class Meta:
        label = _("Table")
        template = "blocks/table.html"
