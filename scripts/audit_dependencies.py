"""Check every locked dependency against known vulnerabilities with pip-audit.

Audits uv.lock exactly (exported with hashes, so pip-audit resolves nothing itself). Exit 1
when a vulnerability is found. pip-audit asks PyPI's JSON API for each package; where that
cannot be reached (a mirror without it, no network) pip-audit itself reports "no known
vulnerabilities" while auditing nothing, so this script counts the packages it could not check
and prints a WARNING instead of a pass. Set PIP_AUDIT_STRICT=1 to make that a failure.

Usage (run by scripts/test): python scripts/audit_dependencies.py
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 # runs our own tools with fixed arguments
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV = ROOT / ".tools" / "bin" / "uv"


def summarise(report: dict) -> tuple[list[str], list[str], int]:
    """(vulnerability lines, names of packages not audited, packages audited) of a JSON report."""
    found, skipped, audited = [], [], 0
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            skipped.append(dependency["name"])
            continue
        audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            name = f"{dependency['name']} {dependency.get('version', '')}"
            found.append(f"{name}: {vuln['id']} (fixed in {fixes})")
    return found, skipped, audited


def verdict(report: dict | None, error: str, strict: bool) -> tuple[int, str]:
    """The exit status and the message for a pip-audit run (report None: it did not finish)."""
    if report is None:
        message = f"WARNING: pip-audit did not run to the end; dependencies NOT audited.\n{error}"
        return (1 if strict else 0), message
    found, skipped, audited = summarise(report)
    if found:
        return 1, "pip-audit found known vulnerabilities:\n  " + "\n  ".join(found)
    if skipped:
        message = (
            f"WARNING: pip-audit could not check {len(skipped)} of {len(skipped) + audited} "
            "packages (PyPI's vulnerability data was not reachable): this is NOT a pass. "
            f"Not audited: {', '.join(sorted(skipped))}"
        )
        return (1 if strict else 0), message
    return 0, f"pip-audit: {audited} packages, no known vulnerabilities."


def main() -> int:
    strict = os.environ.get("PIP_AUDIT_STRICT", "") not in {"", "0", "false"}
    with tempfile.TemporaryDirectory() as folder:
        requirements = Path(folder) / "requirements.txt"
        # Our own tools with fixed arguments and no shell (S603/B603).
        exported = subprocess.run(  # noqa: S603 # nosec B603
            [str(UV), "export", "--frozen", "--extra", "dev", "--no-emit-project",
             "--format", "requirements-txt", "--output-file", str(requirements), "--quiet"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if exported.returncode != 0:
            print(f"uv export failed:\n{exported.stderr}", file=sys.stderr)
            return 1
        audit = subprocess.run(  # noqa: S603 # nosec B603
            [sys.executable, "-m", "pip_audit", "--progress-spinner", "off", "--disable-pip",
             "--require-hashes", "--requirement", str(requirements), "--format", "json"],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
    try:
        report = json.loads(audit.stdout)
    except ValueError:
        report = None
    status, message = verdict(report, audit.stderr.strip()[-2000:], strict)
    print(message, file=sys.stderr if status or message.startswith("WARNING") else sys.stdout)
    return status


if __name__ == "__main__":
    sys.exit(main())
