"""The cache folder holds copies that can always be rebuilt: a damaged or unwritable cache is
skipped, never an error, and a kept table is the table that was built."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from onrecord import cache


@pytest.fixture()
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "onrecord"


def test_built_once_then_read_back(cache_home):
    calls = []

    def build():
        calls.append(1)
        return {"Paris": (48.85, 2.35)}

    first = cache.kept("table-1.pickle", dict, build)
    second = cache.kept("table-1.pickle", dict, build)
    assert first == second == {"Paris": (48.85, 2.35)}
    assert len(calls) == 1
    assert (cache_home / "table-1.pickle").is_file()
    assert not list(cache_home.glob("*.tmp"))


def test_damaged_file_is_rebuilt(cache_home):
    cache_home.mkdir(parents=True)
    (cache_home / "table-1.pickle").write_bytes(b"\x80\x05not a pickle")
    assert cache.kept("table-1.pickle", dict, lambda: {"a": 1}) == {"a": 1}
    # and the rebuilt copy replaced the damaged one
    assert cache.kept("table-1.pickle", dict, lambda: {"b": 2}) == {"a": 1}


def test_wrong_kind_is_rebuilt(cache_home):
    cache.kept("table-1.pickle", list, lambda: [1, 2])
    assert cache.kept("table-1.pickle", dict, lambda: {"a": 1}) == {"a": 1}


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs file permissions")
def test_unwritable_folder_still_builds(cache_home):
    cache_home.mkdir(parents=True)
    cache_home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert cache.kept("table-1.pickle", dict, lambda: {"a": 1}) == {"a": 1}
        assert not (cache_home / "table-1.pickle").exists()
    finally:
        cache_home.chmod(stat.S_IRWXU)


def test_collector_restored_after_load(cache_home):
    import gc

    cache.kept("table-1.pickle", dict, lambda: {"a": 1})
    cache.kept("table-1.pickle", dict, lambda: {"a": 1})
    assert gc.isenabled()
