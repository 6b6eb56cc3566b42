"""The store: one interface (base.Store), SQLite as the embedded default."""

from __future__ import annotations

from .base import Added, Extracted, Store, StoreError


def open_store(location: str, *, version: str, readonly: bool = False) -> Store:
    """The store at ``location``: a file path opens (or creates) a SQLite store; a
    ``postgresql://`` URL is reserved for the PostgreSQL backend to come."""
    if location.startswith(("postgresql://", "postgres://")):
        raise StoreError("PostgreSQL support is planned; use a SQLite path for now")
    if "://" in location:
        raise StoreError(f"unknown store location {location!r}; pass a file path (a SQLite store)")
    from .sqlite import SQLiteStore

    return SQLiteStore(location, version=version, readonly=readonly)


def damaged(err: BaseException, location: str) -> StoreError | None:
    """A backend's error while reading ``location`` as a StoreError that says what to do, or
    None when ``err`` is not a database error (it is then a bug, and shown as one)."""
    import sqlite3

    if isinstance(err, sqlite3.DatabaseError):
        from .sqlite import explain

        return explain(err, location)
    return None


__all__ = ["Added", "Extracted", "Store", "StoreError", "damaged", "open_store"]
