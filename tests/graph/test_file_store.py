"""What only the embedded store has to prove: atomic commits and sharing one file safely."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from graph.errors import StoreUnavailable
from graph.file_store import FileStore
from graph.model import Studio

from .sample import records


def test_a_failed_commit_leaves_the_previous_state_on_disk_and_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.json"
    store = FileStore(path)
    store.write(records())
    before_bytes = path.read_bytes()
    before = store.projection()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        store.write([Studio(id="s-new", name="写到一半的工作室")])
    monkeypatch.undo()
    assert path.read_bytes() == before_bytes
    assert store.projection() == before, "memory must roll back to what the file holds"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file left behind"


def test_killing_a_writer_mid_commit_never_corrupts_the_file(tmp_path: Path) -> None:
    """A child process commits in a loop; SIGKILL it at several moments; the file always loads."""
    path = tmp_path / "graph.json"
    FileStore(path).write(records())
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from graph.file_store import FileStore
        from graph.model import Studio
        store = FileStore({str(path)!r})
        print("ready", flush=True)
        i = 0
        while True:
            batch = [Studio(id=f"k{{i % 3000}}-{{j}}", name=f"循环{{i}}号", expertise="x" * 200) for j in range(40)]
            store.write(batch)
            i += 1
        """
    )
    for delay in (0.05, 0.2, 0.4, 0.7):
        child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        lines = path.read_bytes().splitlines()
        assert orjson.loads(lines[0])["format"] == "studio-alliances/filestore"
        assert all(orjson.loads(line)[0] in {"N", "R"} for line in lines[1:]), "every line whole"
        reopened = FileStore(path)
        assert reopened.get(Studio, "s1").name == "李斌劳模创新工作室"


def test_two_handles_on_one_file_see_and_keep_each_others_writes(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    first, second = FileStore(path), FileStore(path)
    first.write([Studio(id="a", name="甲工作室")])
    assert second.get(Studio, "a").name == "甲工作室"
    second.write([Studio(id="b", name="乙工作室")])
    first.write([Studio(id="c", name="丙工作室")])
    assert [s.id for s in FileStore(path).list(Studio)] == ["a", "b", "c"]


def test_a_file_that_is_not_a_store_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="not a studio-alliances store file"):
        FileStore(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="cannot read store file"):
        FileStore(path)
    path.write_text('{"format": "studio-alliances/filestore", "version": 1}\n["N", "Studio"', encoding="utf-8")
    with pytest.raises(StoreUnavailable, match="cannot read store file"):
        FileStore(path)


def test_the_file_is_created_only_by_a_write(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "graph.json"
    store = FileStore(path)
    assert store.counts()["Studio"] == 0
    assert not path.exists()
    store.write([Studio(id="a", name="甲")])
    assert path.exists()


def test_a_thread_reading_while_another_writes_sees_whole_states(tmp_path: Path) -> None:
    """A server's background refit reads the projection while a request writes (same process)."""
    import threading

    store = FileStore(tmp_path / "graph.json")
    store.write([Studio(id=f"s{i}", name=f"工作室{i}") for i in range(2000)])
    failures: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                assert len(store.projection().studios) >= 2000
        except BaseException as exc:  # a dict changed size during iteration, say
            failures.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for batch in range(20):
            store.write([Studio(id=f"n{batch}-{i}", name=f"新工作室{batch}-{i}") for i in range(200)])
    finally:
        done.set()
        reader.join(timeout=60)
    assert not failures, failures
    assert len(store.list(Studio)) == 2000 + 20 * 200
