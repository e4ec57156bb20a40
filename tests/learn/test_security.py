import re

import pytest

from lessons.models import LessonPage, ModuleIndexPage


def test_learner_pages_forbid_third_party_resources(client, lesson):
    response = client.get(lesson.url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_pages_reference_no_other_site(client, course, language):
    urls = [f"/{language}/", ModuleIndexPage.objects.get(locale__language_code=language).url]
    urls += [page.url for page in LessonPage.objects.live().filter(locale__language_code=language)[:3]]
    for url in urls:
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href|action)="((?:https?:)?//[^"]+)"', html)
        assert external == [], (url, external)


def test_production_settings_pass_the_deploy_checklist(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "k" * 20 + "a-long-random-looking-secret-for-the-check-1234567890",
        "DJANGO_ALLOWED_HOSTS": "oefenplein.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/1"),
        "OEFENPLEIN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_ENV": "production", "OEFENPLEIN_VAR_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_trusts_no_proxy_header_unless_told(tmp_path):
    """TRUSTED_PROXY_COUNT is 0 in production too unless set: otherwise a client that reaches gunicorn
    without the proxy would choose its own address for the sign-in limits (X-Forwarded-For)."""
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "TRUSTED_PROXY_COUNT"}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "oefenplein.example",
            "OEFENPLEIN_VAR_DIR": str(tmp_path),
        }
    )
    show = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1:] == ["0"], result.stdout + result.stderr
    env["TRUSTED_PROXY_COUNT"] = "1"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1:] == ["1"], result.stdout + result.stderr
