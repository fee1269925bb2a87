"""Settings come from the environment; production refuses an insecure configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import checkpoint.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS,"
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
            "import checkpoint.settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]
