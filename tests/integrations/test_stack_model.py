"""The fine-tuned reader is found in models/, else copied from this machine's cache of the same inputs, else
fine-tuned; a reader is cached whole, and only one built from the current inputs. The fine-tuning itself (half an
hour) is stood in for by a subprocess that writes a reader the way bot/triage/finetune.py does."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.triage import reader_files
from bot.triage.reader_files import META, WEIGHTS, reader_cache_directory, reader_fingerprint
from integrations.stack import model


def write_reader(directory: Path, fingerprint: str, weights: bytes = b"weights") -> Path:
    directory.mkdir(parents=True)
    (directory / WEIGHTS).write_bytes(weights)
    (directory / META).write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")
    return directory


@pytest.fixture
def places(tmp_path, monkeypatch):
    """models/ and the cache under tmp_path, and a record of every fine-tuning run."""
    directory, cached = tmp_path / "models" / "triage-reader-x", tmp_path / "cache" / "triage-reader-x"
    monkeypatch.setattr(model, "reader_directory", lambda: directory)
    monkeypatch.setattr(model, "reader_cache_directory", lambda: cached)
    runs: list[list[str]] = []

    def fine_tune(command, **kwargs):
        runs.append(command)
        write_reader(Path(command[command.index("--out") + 1]), reader_fingerprint(), b"fine-tuned")
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(model.subprocess, "run", fine_tune)
    return directory, cached, runs


def test_without_a_reader_or_a_cached_copy_it_fine_tunes_and_keeps_a_copy(places):
    directory, cached, runs = places
    assert model.ensure_reader(log=lambda line: None) == directory
    assert len(runs) == 1
    assert (cached / WEIGHTS).read_bytes() == b"fine-tuned" and not cached.with_name(cached.name + ".partial").exists()


def test_a_cached_copy_of_the_current_inputs_is_copied_instead_of_fine_tuning(places):
    directory, cached, runs = places
    write_reader(cached, reader_fingerprint(), b"cached")
    lines: list[str] = []
    model.ensure_reader(log=lines.append)
    assert runs == [] and (directory / WEIGHTS).read_bytes() == b"cached"
    assert "copied from this machine's cache" in lines[-1]


def test_a_cached_copy_of_other_inputs_is_not_used_but_replaced(places):
    directory, cached, runs = places
    write_reader(cached, "0123456789abcdef", b"stale")
    model.ensure_reader(log=lambda line: None)
    assert len(runs) == 1 and (directory / WEIGHTS).read_bytes() == b"fine-tuned"
    assert (cached / WEIGHTS).read_bytes() == b"fine-tuned"


def test_a_reader_already_in_models_is_kept_and_cached_once(places):
    directory, cached, runs = places
    write_reader(directory, reader_fingerprint(), b"built earlier")
    model.ensure_reader(log=lambda line: None)
    assert runs == [] and (cached / WEIGHTS).read_bytes() == b"built earlier"


def test_a_reader_of_other_inputs_in_models_is_never_cached(places):
    directory, cached, runs = places
    write_reader(directory, "0123456789abcdef")
    model.ensure_reader(log=lambda line: None)
    assert runs == [] and not cached.exists()


def test_a_cache_that_cannot_be_written_costs_only_time(places):
    directory, cached, runs = places
    cached.parent.write_text("a file where the cache's folder should be")
    lines: list[str] = []
    assert model.ensure_reader(log=lines.append) == directory
    assert (directory / WEIGHTS).is_file() and "Could not keep a copy" in lines[-1]


def test_a_failed_fine_tuning_stops_with_a_clear_message(places, monkeypatch):
    monkeypatch.setattr(model.subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(command, 3))
    with pytest.raises(SystemExit, match="fine-tuning the triage sentence reader failed \\(exit 3\\)"):
        model.ensure_reader(log=lambda line: None)


def test_where_the_cache_is(monkeypatch, tmp_path):
    monkeypatch.delenv("TRIAGE_READER_DIR", raising=False)
    monkeypatch.delenv("TRIAGE_READER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert reader_cache_directory() == tmp_path / "xdg" / "family-hubs" / f"triage-reader-{reader_fingerprint()}"
    monkeypatch.setenv("TRIAGE_READER_CACHE", str(tmp_path / "elsewhere"))
    assert reader_cache_directory() == tmp_path / "elsewhere" / f"triage-reader-{reader_fingerprint()}"
    monkeypatch.setenv("TRIAGE_READER_CACHE", "")
    assert reader_cache_directory() is None
    monkeypatch.delenv("TRIAGE_READER_CACHE")
    monkeypatch.setenv("TRIAGE_READER_DIR", str(tmp_path / "by-hand"))
    assert reader_cache_directory() is None and reader_files.reader_directory() == tmp_path / "by-hand"
