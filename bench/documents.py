"""How long the server takes to make a participant's contract as a PDF (issue 18): the
contract template rendered in the person's language, then WeasyPrint. Not a test.

Needs no database: the contract's terms are built in memory with the shape the selector
returns (three referrals, community hours, a full postal address), so the figure is the
template and the PDF alone. Its last line is key=value pairs.

    .venv/bin/python bench/documents.py            # 20 runs in English and in Welsh
    .venv/bin/python bench/documents.py --n 50 --out /tmp/contract.pdf
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def contract_context() -> dict:
    from django.conf import settings

    from checkpoint.models import Person
    from checkpoint.selectors.documents import Contact, ContractTerms, ReferralTerms

    person = Person(
        given_name="Dáithí",
        family_name="O'Shea",
        date_of_birth=date(1994, 3, 2),
        address_line_1="12 Quarry Row",
        address_line_2="Framwellgate Moor",
        town="Durham",
        county="County Durham",
        postcode="DH1 5AB",
    )
    referrals = [
        ReferralTerms(
            pathway=pathway,
            provider=f"{pathway} service",
            provider_address=["3 Claypath", "Durham", "DH1 1RH"],
            provider_phone="0191 498 0456",
            provider_email="",
            what=what,
            frequency="Weekly",
            required_sessions=6,
        )
        for pathway, what in (
            ("Drugs", "Drug awareness course"),
            ("Alcohol", "One-to-one alcohol support"),
            ("Finance", "Debt advice sessions"),
        )
    ]
    terms = ContractTerms(
        starts_on=date(2026, 12, 7),
        ends_on=date(2027, 4, 6),
        months=4,
        offences=["Theft from a shop"],
        offending_terms="",
        victim_approach="letter",
        victim_due_on=date(2027, 2, 1),
        referrals=referrals,
        community_kind="hours",
        hours_required=24,
        gps_starts_on=None,
        gps_ends_on=None,
        signed=True,
    )
    return {
        "person": person,
        "case": SimpleNamespace(reference="CP-7KQ4-M2XD"),
        "terms": terms,
        "contact": Contact("Nadia Khan", "navigator", "Durham North", "n@example.org", "0191"),
        "organisation_name": settings.ORGANISATION_NAME,
        "retention_no_conviction_years": 3,
        "retention_prosecution_years": 6,
    }


def time_contract(language: str, n: int) -> tuple[list[float], bytes]:
    from web.documents import render_document, render_pdf

    context = contract_context()
    timings, pdf = [], b""
    for _ in range(n):
        started = time.perf_counter()
        body = render_document("contract", context, language=language, version="standard")
        pdf = render_pdf(body, title="Contract", language=language)
        timings.append(time.perf_counter() - started)
    return timings, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="timed runs per language")
    parser.add_argument("--out", help="write the last English PDF here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from pypdf import PdfReader

    time_contract("en", 2)  # warm up: fonts, templates, Pango
    figures = {}
    for language in ("en", "cy"):
        timings, pdf = time_contract(language, args.n)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        ms = sorted(t * 1000 for t in timings)
        figures[language] = (statistics.median(ms), ms[int(0.95 * (len(ms) - 1))], pages, len(pdf))
        print(
            f"contract ({language}): median {figures[language][0]:.0f} ms, "
            f"p95 {figures[language][1]:.0f} ms, {pages} pages, {len(pdf):,} bytes, n={args.n}"
        )
        if args.out and language == "en":
            Path(args.out).write_bytes(pdf)
    en, cy = figures["en"], figures["cy"]
    print(
        f"contract_pdf_ms_median={en[0]:.0f} contract_pdf_ms_p95={en[1]:.0f} pages={en[2]} "
        f"welsh_ms_median={cy[0]:.0f} n={args.n}"
    )


if __name__ == "__main__":
    main()
