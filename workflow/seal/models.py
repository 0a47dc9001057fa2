"""The installation's certificate authority and each unit's electronic seal (电子印章): its image
and its signing key (encrypted with SEAL_ENCRYPTION_KEY) and certificate. Who keeps it is a role
of the unit (people's `Role.SEAL_KEEPER`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealAuthority(models.Model):
    """The installation's own CA, which certifies every unit's signing key. One row."""

    name = models.CharField(_("name"), max_length=200)
    certificate_pem = models.TextField(_("certificate"))
    key_encrypted = models.BinaryField(_("encrypted private key"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("seal authority")
        verbose_name_plural = _("seal authorities")

    def __str__(self):
        return self.name


class UnitSeal(models.Model):
    """A unit's seal: the image pressed over signature and date, and the key that signs."""

    unit = models.OneToOneField(
        "people.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="seal"
    )
    image = models.BinaryField(_("seal image (PNG)"))
    image_uploaded = models.BooleanField(_("uploaded image"), default=False)
    certificate_pem = models.TextField(_("certificate"))
    key_encrypted = models.BinaryField(_("encrypted private key"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit seal")
        verbose_name_plural = _("unit seals")

    def __str__(self):
        return str(self.unit)
