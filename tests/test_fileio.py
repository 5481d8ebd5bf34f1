"""Files are replaced atomically: on failure the old content stays."""

import pytest

from governance.fileio import atomic_write


def test_atomic_write_replaces_content(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    with atomic_write(target) as fh:
        fh.write("new")
    assert target.read_text() == "new"
    assert list(tmp_path.iterdir()) == [target]


def test_failure_leaves_old_content_and_no_temp_file(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as fh:
            fh.write("half")
            raise RuntimeError("disk full")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_binary_mode_and_new_directory(tmp_path):
    target = tmp_path / "out" / "data.bin"
    with atomic_write(target, "wb") as fh:
        fh.write(b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"


def test_new_file_gets_ordinary_permissions(tmp_path):
    import os

    target = tmp_path / "privacy.html"
    with atomic_write(target) as fh:
        fh.write("<html></html>")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_existing_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "notes.csv"
    target.write_text("a")
    target.chmod(0o640)
    with atomic_write(target) as fh:
        fh.write("b")
    assert target.stat().st_mode & 0o777 == 0o640
