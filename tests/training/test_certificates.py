"""Completion makes a PDF certificate (through the progress signal and Celery tasks); a signed token checks it."""

import io
import uuid
from datetime import date

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lessons.models import LessonPage
from progress.services import statements_ingest
from tests.progress.evidence import lesson_done as answered_lesson
from training import services
from training.models import Certificate, Enrolment
from training.selectors import certificate_token

from .conftest import lesson_done, make_staff, module_done


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def karim(django_user_model, park_team, required):
    staff = make_staff(django_user_model, park_team, "G-1", "Karim El Amrani")
    services.enrolments_sync(today=date(2026, 11, 1))
    return staff


@pytest.fixture
def certificate(karim, lessons, other_module):
    lesson_done(karim.user, lessons[0].translation_key)
    module_done(karim.user, other_module.translation_key)
    (enrolment_id,) = services.completions_update()
    return services.certificate_make(enrolment_id=enrolment_id)


def test_finishing_the_last_part_makes_the_certificate(
    karim, lessons, other_module, django_capture_on_commit_callbacks
):
    """The real path: answers -> progress signal -> completion task -> certificate task -> PDF."""
    with django_capture_on_commit_callbacks(execute=True):
        statements_ingest(user=karim.user, statements=answered_lesson(lessons[0]))
    assert not Certificate.objects.exists()  # the module is not finished yet
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in LessonPage.objects.live().child_of(other_module).order_by("path"):
            statements_ingest(user=karim.user, statements=answered_lesson(lesson))
    enrolment = Enrolment.objects.get(staff=karim)
    assert enrolment.completed_at is not None
    certificate = Certificate.objects.get(enrolment=enrolment)
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Karim El Amrani" in text and "Digitaal veilig op het werk" in text


def test_the_certificate_is_made_once_and_not_under_media_root(certificate, settings):
    again = services.certificate_make(enrolment_id=certificate.enrolment_id)
    assert again.pk == certificate.pk and Certificate.objects.count() == 1
    path = certificate.pdf.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT)) and not path.startswith(str(settings.MEDIA_ROOT))


def test_the_pdf_has_a_qr_code_and_the_check_address(certificate):
    data = certificate.pdf.read()
    text = pdf_text(data)
    token = certificate_token(certificate=certificate)
    assert "/certificates/" in text.replace("\n", "")
    assert token.split(":")[0] in text.replace("\n", "")
    images = [image for page in PdfReader(io.BytesIO(data)).pages for image in page.images]
    assert images, "the QR code image is missing"


def test_an_arabic_certificate_is_a_pdf_with_the_name(karim, lessons, other_module):
    karim.user.preferred_language = "ar"
    karim.user.save()
    lesson_done(karim.user, lessons[0].translation_key)
    module_done(karim.user, other_module.translation_key)
    (enrolment_id,) = services.completions_update()
    certificate = services.certificate_make(enrolment_id=enrolment_id)
    data = certificate.pdf.read()
    assert data.startswith(b"%PDF-") and "Karim El Amrani" in pdf_text(data)


def test_the_check_page_shows_only_name_programme_and_date(certificate, client):
    response = client.get(
        reverse("training_public:verify", kwargs={"token": certificate_token(certificate=certificate)})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Karim El Amrani" in page and "Digitaal veilig op het werk" in page
    assert certificate.completed_on.strftime("%Y") in page
    for private in ("G-1", "Ploeg Vrijbroekpark", "Groendienst", "staff-g-1", ".pdf"):
        assert private not in page


@pytest.mark.parametrize(
    "make_token",
    [
        lambda c: certificate_token(certificate=c)[:-1] + ("A" if certificate_token(certificate=c)[-1] != "A" else "B"),
        lambda c: c.uuid.hex,
        lambda c: signing.Signer(salt="another.salt").sign(c.uuid.hex),
        lambda c: signing.Signer(salt="training.certificate.verify").sign(uuid.uuid4().hex),
        lambda c: "0" * 32 + ":" + "x" * 27,
    ],
    ids=["tampered", "bare-uuid", "other-salt", "unknown-certificate", "guessed"],
)
def test_forged_or_guessed_tokens_answer_a_translated_404(certificate, client, make_token):
    response = client.get(reverse("training_public:verify", kwargs={"token": make_token(certificate)}))
    assert response.status_code == 404
    assert "Karim" not in response.content.decode()
    assert '<html lang="nl"' in response.content.decode()
    assert "Dit certificaat is niet geldig." in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "fr", "en", "ar"])
def test_a_tampered_link_says_the_certificate_is_not_valid_in_each_language(certificate, client, language):
    from django.utils import translation

    token = certificate_token(certificate=certificate)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with translation.override(language):
        url = reverse("training_public:verify", kwargs={"token": tampered})
        words = translation.gettext("This certificate is not valid.")
        not_found = translation.gettext("We cannot find this page")
    if language != "en":
        assert words != "This certificate is not valid."  # translated
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert words in html and not_found not in html


def test_staff_download_their_own_certificate_and_nobody_elses(certificate, client, django_user_model, park_team):
    url = reverse("training:certificate_download", kwargs={"uuid": certificate.uuid})
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    client.force_login(certificate.staff.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    colleague = make_staff(django_user_model, park_team, "G-9", "Collega")
    client.force_login(colleague.user)
    assert client.get(url).status_code == 404


def test_managers_see_the_certificates_of_their_teams_only(certificate, client, manager, other_manager):
    url = reverse("training:certificate_download", kwargs={"uuid": certificate.uuid})
    client.force_login(manager)
    assert client.get(url).status_code == 200
    assert list(client.get(reverse("training:certificate_list")).context["certificates"]) == [certificate]
    client.force_login(other_manager)
    assert client.get(url).status_code == 404
    assert list(client.get(reverse("training:certificate_list")).context["certificates"]) == []


def test_the_safety_net_makes_missing_certificates(karim, lessons, other_module):
    from training.tasks import completions_check

    lesson_done(karim.user, lessons[0].translation_key)
    module_done(karim.user, other_module.translation_key)
    services.completions_update()  # its certificate task is lost: on_commit never runs in this test
    assert Enrolment.objects.get(staff=karim).completed_at is not None
    assert not Certificate.objects.exists()
    completions_check()
    assert Certificate.objects.get(staff=karim).pdf
    assert Certificate.objects.get(staff=karim).completed_on == timezone.localdate()
