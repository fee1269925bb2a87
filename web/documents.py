"""The participant's documents: the contract and the letters, written in their language.

One template per document (``web/templates/documents/<name>.html``, the letters extending
``documents/_letter.html``) is the single source of its content: it is shown on the staff
page (for printing, with the print stylesheet), included on the check page before signing,
and made into a PDF on the server (WeasyPrint) from the same HTML.

Every document is rendered in the person's language (``Person.preferred_language``, a Django
language code) inside ``translation.override``; the staff page around it stays English. When
the person needs easy read documents, ``documents/easy_read/<name>.html`` is used where one
exists.

Printing or downloading a document is a disclosure (DPA 2018 s.62): the page first asks who it
is for and why (``DisclosureGateMixin``), which is logged; the PDF is served under the same
grant, as an attachment that is not stored by the browser's cache.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.safestring import SafeString
from django.views.generic import TemplateView

from checkpoint.errors import NotFound
from checkpoint.models import Language, Person
from checkpoint.permissions import Permission
from checkpoint.selectors import documents as document_selectors
from checkpoint.services import CaseError

from .disclosure import GRANT_PARAM, DisclosureGateMixin
from .views import CaseMixin

logger = logging.getLogger(__name__)

STANDARD, EASY_READ = "standard", "easy_read"
LANGUAGE_NAMES: dict[str, str] = {Language.ENGLISH: "English", Language.WELSH: "Welsh"}
# The Django language a document is rendered in (British English formats for English).
DJANGO_LANGUAGE: dict[str, str] = {Language.ENGLISH: "en-gb", Language.WELSH: "cy"}
# The language attribute of a document's HTML (BCP 47).
HTML_LANG: dict[str, str] = {Language.ENGLISH: "en-GB", Language.WELSH: "cy"}


def template_names(name: str, version: str) -> list[str]:
    """The templates tried for a document, the easy read one first when it is asked for."""
    standard = f"documents/{name}.html"
    return [f"documents/easy_read/{name}.html", standard] if version == EASY_READ else [standard]


def render_document(
    name: str, context: dict[str, Any], *, language: str, version: str
) -> SafeString:
    """The document's HTML (its content only), in ``language``; safe to place in a page as it
    is (a template rendered with autoescaping)."""
    with translation.override(DJANGO_LANGUAGE.get(language, language)):
        template = select_template(template_names(name, version))
        html: SafeString = template.render({**context, "document_language": language})
        return html


def has_easy_read(name: str) -> bool:
    try:
        select_template([f"documents/easy_read/{name}.html"])
    except TemplateDoesNotExist:  # only the standard version exists
        return False
    return True


def common_context(case) -> dict[str, Any]:
    """What every document may use: the case, the person, their navigator as contact."""
    return {
        "case": case,
        "person": case.person,
        "contact": document_selectors.navigator_contact(case),
        "organisation_name": settings.ORGANISATION_NAME,
        "retention_no_conviction_years": settings.RETENTION_NO_CONVICTION_YEARS,
        "retention_prosecution_years": settings.RETENTION_PROSECUTION_YEARS,
        "letter_date": timezone.localdate(),
    }


# --- PDF ------------------------------------------------------------------------------------
def _static_fetcher():
    """A WeasyPrint URL fetcher that reads only the site's own static files (the stylesheet,
    easy read pictures): a document never makes the server fetch anything else."""
    import weasyprint  # type: ignore[import-untyped]  # late: it loads Pango, for PDFs only

    class StaticOnly(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.scheme == "file" and path.startswith("/static/") and ".." not in path:
                found = finders.find(path.removeprefix("/static/"))
                if found:
                    return super().fetch(Path(str(found)).resolve().as_uri(), headers)
            raise ValueError(f"Documents may only use the site's static files, not {url}")

    return StaticOnly(allowed_protocols=["file"])


def render_pdf(body: SafeString, *, title: str, language: str) -> bytes:
    """The PDF of a document's HTML (A4, the document stylesheet, numbered pages)."""
    import weasyprint

    with translation.override(DJANGO_LANGUAGE.get(language, language)):
        html = render_to_string(
            "documents/pdf.html",
            {"body": body, "title": title, "lang": HTML_LANG.get(language, language)},
        )
    document = weasyprint.HTML(string=html, base_url="file:///", url_fetcher=_static_fetcher())
    pdf: bytes = document.write_pdf()
    return pdf


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the staff page -------------------------------------------------------------------------
class DocumentView(DisclosureGateMixin, CaseMixin, TemplateView):
    """A participant document for a case: the page to print, or ``?format=pdf``.

    Subclasses set ``document_name`` (the template), ``document`` (its name for people),
    ``disclosure_kind``, and give ``document_context()``; ``unavailable()`` says why there is
    no such document for this case yet (the user goes back to the case page, told why).
    ``?language=en|cy`` and ``?version=standard|easy_read`` choose another than the person's.
    """

    needs = Permission.DISCLOSE_CASE_DOCUMENT
    template_name = "documents/page.html"
    document_name = ""
    document = ""

    def document_context(self) -> dict[str, Any]:
        raise NotImplementedError

    def unavailable(self) -> str | None:
        return None

    def document_id(self) -> str:
        """What distinguishes this document from others of its kind on the case."""
        return ""

    @property
    def person(self) -> Person:
        return self.case.person

    @property
    def language(self) -> str:
        asked = self.request.GET.get("language")
        return asked if asked in Language.values else self.person.preferred_language

    @property
    def version(self) -> str:
        asked = self.request.GET.get("version")
        if asked in (STANDARD, EASY_READ):
            return asked
        return EASY_READ if self.person.needs_easy_read else STANDARD

    def disclosure_what(self) -> str:
        """The document as the disclosure log names it: "appointment letter, appointment 12,
        in Welsh, easy read" (English and the standard version are not repeated)."""
        parts = [self.document, self.document_id()]
        if self.language != Language.ENGLISH:
            parts.append(f"in {LANGUAGE_NAMES[self.language]}")
        if self.version == EASY_READ:
            parts.append("easy read")
        return ", ".join(p for p in parts if p)

    def disclosure_case(self):
        return self.case

    def disclosure_back_url(self) -> str:
        return self.back_url()

    def back_url(self) -> str:
        return self.case_url()

    def _refusal(self) -> str | None:
        """Why the document cannot be made (None when it can); a record of another case is
        "not found" (404), as on every case screen."""
        try:
            return self.unavailable()
        except NotFound:
            raise
        except CaseError as err:
            return err.message

    def get(self, request, *args, **kwargs):
        reason = self._refusal()
        if reason:
            messages.info(request, reason)
            return redirect(self.back_url())
        if not self.disclosure_allowed():
            return self.disclosure_form_response()
        body = self.body(self.document_context())
        if request.GET.get("format") == "pdf":
            try:
                pdf = render_pdf(body, title=self.document_title(), language=self.language)
            except (ImportError, OSError):  # WeasyPrint or Pango missing on this server
                logger.exception("the %s could not be made as a PDF", self.document)
                messages.error(
                    request,
                    "The PDF could not be made on this server. Print the page from your "
                    "browser instead (choose 'Save as PDF' as the printer to keep a copy).",
                )
                query = request.GET.copy()
                query.pop("format")
                return redirect(f"{request.path}?{query.urlencode()}")
            return pdf_response(
                pdf, f"{self.case.reference}-{self.document_name.replace('_', '-')}.pdf"
            )
        return self.render_to_response(self.get_context_data(document_html=body))

    def post(self, request, *args, **kwargs):
        reason = self._refusal()
        if reason:
            messages.info(request, reason)
            return redirect(self.back_url())
        return self.disclosure_post()

    def common_context(self) -> dict[str, Any]:
        return common_context(self.case)

    def body(self, context: dict[str, Any]) -> SafeString:
        return render_document(
            self.document_name,
            {**self.common_context(), **context},
            language=self.language,
            version=self.version,
        )

    def document_title(self) -> str:
        return f"{self.document[:1].upper()}{self.document[1:]}: {self.case.reference}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query["format"] = "pdf"
        other = self.request.GET.copy()
        other.pop(GRANT_PARAM, None)
        context.update(
            title=self.document_title(),
            document=self.document,
            document_lang=HTML_LANG.get(self.language, self.language),
            language_name=LANGUAGE_NAMES[self.language],
            easy_read=self.version == EASY_READ,
            pdf_url=f"{self.request.path}?{query.urlencode()}",
            back_url=self.back_url(),
            alternatives=self.alternatives(other),
        )
        return context

    def alternatives(self, query) -> list[tuple[str, str]]:
        """Links to the same document in the other language and the other version (each a
        new disclosure, asked for again)."""
        links = []
        for code, name in LANGUAGE_NAMES.items():
            if code != self.language:
                q = query.copy()
                q["language"] = code
                links.append((f"In {name}", f"{self.request.path}?{q.urlencode()}"))
        if self.version == EASY_READ or has_easy_read(self.document_name):
            q = query.copy()
            q["version"] = STANDARD if self.version == EASY_READ else EASY_READ
            label = "Standard version" if self.version == EASY_READ else "Easy read version"
            links.append((label, f"{self.request.path}?{q.urlencode()}"))
        return links
