"""scripts/audit_dependencies.py: a vulnerability fails, an unreachable data source warns."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"
_spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "django",
    "version": "5.2.1",
    "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
}
SKIPPED = {"name": "celery", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_clean_report_passes():
    status, message = audit.verdict({"dependencies": [CLEAN]}, "", strict=False)
    assert (status, message) == (0, "pip-audit: 1 packages, no known vulnerabilities.")


def test_a_known_vulnerability_fails():
    status, message = audit.verdict({"dependencies": [VULNERABLE, CLEAN]}, "", strict=False)
    assert status == 1
    assert "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)" in message


def test_packages_that_could_not_be_checked_are_a_warning_not_a_pass():
    status, message = audit.verdict({"dependencies": [CLEAN, SKIPPED]}, "", strict=False)
    assert status == 0
    assert message.startswith("WARNING: pip-audit could not check 1 of 2 packages")
    assert "NOT a pass" in message
    assert "celery" in message


def test_strict_mode_fails_when_nothing_could_be_checked():
    assert audit.verdict({"dependencies": [SKIPPED]}, "", strict=True)[0] == 1
    assert audit.verdict(None, "ConnectionError", strict=True)[0] == 1
    status, message = audit.verdict(None, "ConnectionError", strict=False)
    assert status == 0
    assert "NOT audited" in message
