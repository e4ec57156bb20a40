"""The certificate PDF: HTML rendered by WeasyPrint, with a QR code of the public verification page.

WeasyPrint shapes Arabic (right to left) through Pango; DejaVu Sans has the glyphs of all four
languages. Nothing is fetched: the QR code is a data URI and the stylesheet is inline.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Certificate
from .selectors import certificate_token


def verification_url(*, certificate: Certificate, language: str) -> str:
    with translation.override(language):
        path = reverse("training_public:verify", kwargs={"token": certificate_token(certificate=certificate)})
    return settings.SITE_ORIGIN + path


def certificate_pdf(*, certificate: Certificate, language: str) -> bytes:
    from weasyprint import HTML

    url = verification_url(certificate=certificate, language=language)
    qr = segno.make(url, error="m").png_data_uri(scale=4, border=2)
    with translation.override(language):
        html = render_to_string(
            "training/certificate_pdf.html",
            {
                "certificate": certificate,
                "verify_url": url,
                "qr": qr,
                "language": language,
                "direction": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
