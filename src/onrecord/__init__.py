"""onrecord: who said what in the news, with evidence.

    >>> import onrecord
    >>> record = onrecord.extract(text, published="2022-01-14")
    >>> record.to_dict()["quotes"]
"""

__version__ = "0.1.0"

from .model import Entity, Mention, Problem, Quote, Record, Span, Speaker  # noqa: E402
from .pipeline import Article, ArticleFailed, InputError, extract, extract_many  # noqa: E402

__all__ = ["Article", "ArticleFailed", "Entity", "InputError", "Mention", "Problem", "Quote", "Record", "Span", "Speaker",
           "extract", "extract_many", "__version__"]
