"""Numbering prefixes and red-head templates, made through their services as a clerk or a
process administrator would (as the system, so no role is needed)."""

import factory

from workflow.numbering.models import DocumentPrefix
from workflow.numbering.services import prefix_create
from workflow.redhead.models import RedheadTemplate

from .people import OrgUnitFactory


class DocumentPrefixFactory(factory.Factory):
    class Meta:
        model = DocumentPrefix

    unit = factory.SubFactory(OrgUnitFactory)
    text = factory.Sequence(
        lambda n: f"测字{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'子丑寅卯辰巳午未申酉'[n // 10 % 10]}"
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return prefix_create(user=None, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Prefixes are made through the service; use create().")


class RedheadTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RedheadTemplate

    unit = factory.SubFactory(OrgUnitFactory)
    issuer_mark = factory.LazyAttribute(lambda template: f"{template.unit.name}文件")
    signature_unit = factory.LazyAttribute(lambda template: template.unit.name)
    printing_unit = factory.LazyAttribute(lambda template: f"{template.unit.name}办公室")
