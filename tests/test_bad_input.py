"""Bad input gets one clear line naming the file; the rest of the run goes on (issue 2)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from kg.cli import main


def run_kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True)


@pytest.fixture()
def bad_files(tmp_path):
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 8,
        "undecodable.txt": b"The General Assembly,\n\nRecalling \x81\x8d\x90 caf\xe9,\n",
        "noclauses.txt": b"Just a note with no resolution in it.\n",
        "truncated.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path, files


def test_each_bad_file_gets_one_line_naming_it(bad_files, capsys):
    folder, files = bad_files
    status = main(["read", *(str(folder / n) for n in files)])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 1
    assert len(err) == len(files)
    for line, name in zip(err, files, strict=True):
        assert line.startswith("kg: error: ") and name in line
    assert "empty" in err[0]
    assert "binary" in err[1]
    assert "decode" in err[2]
    assert "no clauses" in err[3]
    assert "PDF" in err[4]


def test_windows_1252_text_is_tolerated(tmp_path, seeds):
    text = seeds["002_8176edd7db462559"].read_text(encoding="utf-8")
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.replace("’", "'").replace("–", "-").encode("cp1252", errors="replace"))
    assert main(["read", str(path)]) == 0


def test_encrypted_pdf_is_refused_clearly(tmp_path):
    import pymupdf

    pdf = pymupdf.open()
    pdf.new_page().insert_text((72, 72), "The General Assembly,")
    path = tmp_path / "locked.pdf"
    pdf.save(path, encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="u")
    proc = run_kg("read", str(path))
    assert proc.returncode == 1
    assert "locked.pdf" in proc.stderr and "encrypted" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_folder_with_one_bad_file_still_reads_the_rest(tmp_path, seeds):
    for p in list(seeds.values())[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "zzz_bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    proc = run_kg("extract", str(tmp_path), "--format", "jsonl")
    assert proc.returncode == 1
    assert proc.stderr.count("kg: error:") == 1 and "zzz_bad.txt" in proc.stderr
    docs = {line.split('"doc": "')[1].split('"')[0] for line in proc.stdout.splitlines()}
    assert len(docs) == 2
    assert "Traceback" not in proc.stderr


def test_missing_file_and_unreadable_file(tmp_path):
    locked = tmp_path / "locked.txt"
    locked.write_text("x")
    locked.chmod(0)
    proc = run_kg("read", str(tmp_path / "nope.txt"), str(locked))
    assert proc.returncode == 1
    assert "nope.txt: no such file" in proc.stderr
    assert "Traceback" not in proc.stderr
