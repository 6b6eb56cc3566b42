"""The way in: sources (files, folders, JSONL, feeds, WARC, URLs) -> Documents."""
from .document import Document

__all__ = ["Document"]
