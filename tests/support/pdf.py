"""Reading the papers (PDF) the tests get back."""

import io

from pypdf import PdfReader


def text_of(pdf: bytes) -> str:
    """All the text of the PDF, with whitespace (line breaks of wrapped paragraphs) collapsed."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
