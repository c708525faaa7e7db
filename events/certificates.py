"""Certificates of attendance: the record (with its public verification code) and the PDF."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_code():
    return secrets.token_urlsafe(12)


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """Issued on the first download by a checked-in participant; staff may revoke it."""

    registration = models.OneToOneField(
        "events.Registration",
        on_delete=models.CASCADE,
        related_name="certificate",
        verbose_name=_("registration"),
    )
    code = models.CharField(_("verification code"), max_length=64, unique=True, default=new_code)
    # As printed: a later change of the registration's name does not change the certificate.
    name = models.CharField(_("name"), max_length=200)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "members.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate of attendance")
        verbose_name_plural = _("certificates of attendance")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("certificate_verify", kwargs={"code": self.code})


FONT_DIR = "/usr/share/fonts/truetype/dejavu"
# Scripts DejaVu lacks (Chinese, Japanese, Korean, Indic): used when the Debian package
# with them is installed.
FALLBACK_FONTS = [
    ("NotoCJK", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    ("NotoDevanagari", "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf"),
]


def render_pdf(certificate, *, verify_url):
    """The certificate as PDF bytes: A4 landscape, shaped text (Arabic joins, runs
    right to left), the verification address and its QR code."""
    import io
    import logging
    import os

    import segno
    from django.utils.translation import gettext as _
    from fpdf import FPDF
    from fpdf.enums import Align, XPos, YPos

    # fontTools reports every font subset at INFO: not news for the portal's log.
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    registration = certificate.registration
    event = registration.event
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_title(_("Certificate of attendance"))
    pdf.set_author("ALL-IN")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.add_font("DejaVu", "", os.path.join(FONT_DIR, "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", os.path.join(FONT_DIR, "DejaVuSans-Bold.ttf"))
    fallbacks = []
    for name, path in FALLBACK_FONTS:
        if os.path.exists(path):
            pdf.add_font(name, "", path)
            fallbacks.append(name)
    if fallbacks:
        pdf.set_fallback_fonts(fallbacks)
    pdf.set_text_shaping(True)
    width = pdf.w - 40

    pdf.set_draw_color(30, 80, 110)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    y = 22
    if event.certificate_logo:
        try:
            # Read through the storage (a folder or a bucket), never a filesystem path.
            with event.certificate_logo.open("rb") as logo:
                pdf.image(io.BytesIO(logo.read()), x=(pdf.w - 40) / 2, y=y, h=20)
            y += 24
        except (OSError, ValueError, RuntimeError):
            pass  # a missing or unreadable logo leaves the certificate without one

    def line(text, size, style="", gap=4):
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(20)
        pdf.multi_cell(width, size * 0.5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    pdf.set_y(y)
    line("ALL-IN · Agile Leaders of Learning Innovation Network", 11, gap=8)
    line(_("Certificate of attendance"), 28, "B", gap=10)
    line(_("This certifies that"), 13)
    line(certificate.name, 26, "B", gap=6)
    line(_("attended"), 13)
    line(event.title, 18, "B", gap=4)
    place = ", ".join(
        p for p in (event.venue, event.city, event.country.name if event.country else "") if p
    )
    line(" · ".join(p for p in (event.when, place) if p), 11, gap=2)
    if event.hours:
        line(_("%(hours)s hours") % {"hours": f"{event.hours:g}"}, 11, gap=2)
    if event.signatory_name:
        pdf.set_y(pdf.h - 55)
        line(event.signatory_name, 12, "B", gap=0)
        if event.signatory_title:
            line(event.signatory_title, 10, gap=0)

    qr = io.BytesIO()
    segno.make(verify_url, error="m").save(qr, kind="png", scale=6, border=2)
    qr.seek(0)
    pdf.image(qr, x=pdf.w - 52, y=pdf.h - 52, w=32)
    pdf.set_font("DejaVu", "", 8)
    pdf.set_xy(20, pdf.h - 22)
    pdf.cell(
        pdf.w - 80,
        5,
        _("Verify this certificate: %(url)s") % {"url": verify_url},
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
