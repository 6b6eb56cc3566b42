"""The store: one interface (base.Store), SQLite as the embedded default."""
from .base import Added, Extracted, Store, StoreError

__all__ = ["Added", "Extracted", "Store", "StoreError"]
