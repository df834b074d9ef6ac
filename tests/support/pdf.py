"""Reading the papers (PDF) the tests get back."""

import io

from pypdf import PdfReader


def text_of(pdf: bytes) -> str:
    """All the text of the PDF, with whitespace (line breaks of wrapped paragraphs) collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def text_and_pages(pdf: bytes) -> tuple[str, int]:
    """``text_of`` the PDF and its number of pages."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split()), len(reader.pages)


def lines_of(pdf: bytes) -> str:
    """The text of every page as pypdf extracts it (line breaks kept), pages joined by a line break."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
