"""onrecord: who said what in the news, with evidence.

>>> import onrecord
>>> record = onrecord.extract(text, published="2022-01-14")
>>> record.to_dict()["quotes"]
"""

__version__ = "0.1.0"

from .inputs import InputError
from .model import (
    Actor,
    Article,
    Claim,
    ClaimSource,
    Entity,
    Event,
    Focus,
    Geo,
    Mention,
    Problem,
    Quantity,
    Quote,
    Record,
    Span,
    Speaker,
    Timex,
)
from .pipeline import ArticleFailed, extract, extract_many
from .stages import STAGES, Stage

__all__ = [
    "STAGES",
    "Actor",
    "Article",
    "ArticleFailed",
    "Claim",
    "ClaimSource",
    "Entity",
    "Event",
    "Focus",
    "Geo",
    "InputError",
    "Mention",
    "Problem",
    "Quantity",
    "Quote",
    "Record",
    "Span",
    "Speaker",
    "Stage",
    "Timex",
    "__version__",
    "extract",
    "extract_many",
]
