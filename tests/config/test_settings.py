"""Settings come from the environment; production refuses an insecure configuration."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS,"
            " s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)",
        ],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_off_with_the_development_key_refuses_to_start():
    result = _load_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_is_reachable_by_environment_alone():
    result = _load_settings(
        DEBUG="false",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="checkpoint.example.police.uk",
        DATABASE_URL="postgres://app@db.internal:5432/checkpoint",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['checkpoint.example.police.uk']",
        "django.db.backends.postgresql",
        "redis://redis.internal:6379/0",
    ]


def test_embedded_default_needs_no_environment(tmp_path):
    env = {"PATH": os.environ["PATH"], "CHECKPOINT_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def _production_env(tmp_path, **extra) -> dict[str, str]:
    """What a deployment sets: DEBUG off and everything else from the environment."""
    keep = {"PATH", "HOME", "LANG"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    expires = (datetime.now(UTC) + timedelta(days=180)).date().isoformat()
    return {
        **env,
        "CHECKPOINT_VAR_DIR": str(tmp_path),
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "checkpoint.example.police.uk",
        "SITE_URL": "https://checkpoint.example.police.uk",
        "DATABASE_URL": "postgres://app@db.internal:5432/checkpoint",
        "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
        "SECURITY_TXT_CONTACT": "mailto:security@example.police.uk",
        "SECURITY_TXT_EXPIRES": expires,
        **extra,
    }


def _deploy_check(env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings(tmp_path):
    result = _deploy_check(_production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_check_fails_when_production_hardening_is_turned_off(tmp_path):
    """The check above can fail: switching HSTS and the HTTPS redirect off is reported."""
    env = _production_env(tmp_path, SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="false")
    result = _deploy_check(env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def test_deploy_check_warns_about_a_stale_security_txt(tmp_path):
    env = _production_env(tmp_path, SECURITY_TXT_EXPIRES="2020-01-01", SECURITY_TXT_CONTACT="")
    result = _deploy_check(env)
    assert result.returncode != 0
    assert "checkpoint.W001" in result.stderr
    assert "checkpoint.W002" in result.stderr
