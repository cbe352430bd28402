"""Every file the app takes from outside is read with its cost bounded (issue 37): codebooks, backups, a .qdpx's
members, config.json and keymap.json, and the viewer command. Each hostile file is made here; each case ends in
seconds with one line (exit 2) or a warning, never a hang, a traceback or gigabytes of memory."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from ofsted_reader.host import viewer
from ofsted_reader.host.config import Config
from ofsted_reader.tui.keymap import read_keymap

from .conftest import (
    PDFS,
    REPORTS,
    ROOT,
    eventually,
    make_app,
    open_at,
    recorded,
    run_cli,
    run_process,
    settle,
    told,
    viewer_recording_to,
)

CODEBOOK = "urn:QDA-XML:codebook:1.0"
PEAK_MB = 300


def qdc(codes: str, declaration: str = '<?xml version="1.0" encoding="utf-8"?>') -> str:
    return f'{declaration}<CodeBook xmlns="{CODEBOOK}"><Codes>{codes}</Codes></CodeBook>'


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


def measured(args: list[str], env: dict[str, str] | None = None, timeout: float = 60, code: str | None = None):
    """`python -m ofsted_reader.cli ARGS` (or `python -c CODE`) in a new process: its return code, output and error.
    Killed after `timeout` seconds: a read that blocks or runs on fails the test instead of hanging it."""
    argv = [sys.executable, "-c", code] if code else [sys.executable, "-m", "ofsted_reader.cli", *args]
    with open(os.devnull, "rb") as stdin:
        process = subprocess.Popen(
            argv,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, **(env or {})},
        )
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        pytest.fail(f"still running after {timeout} s: {args or code}")
    return process.returncode, out.decode(), err.decode()


# The peak of the process's own memory: VmHWM of its address space. Not ru_maxrss, which Linux carries over from
# the parent across fork and exec: a child of a large test process would report the parent's size.
PEAK_KB = (
    "def peak_kb():\n"
    "    try:\n"
    "        status = open('/proc/self/status').read()\n"
    "        return int(status.split('VmHWM:')[1].split()[0])\n"
    "    except (OSError, IndexError):\n"
    "        import resource\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
)
PEAK_PRINTER = PEAK_KB + (
    "import runpy, sys, atexit\n"
    "atexit.register(lambda: print('peak-kb', peak_kb(), file=sys.stderr))\n"
    "sys.argv = ['ofsted-reader', *{args!r}]\n"
    "try:\n"
    "    runpy.run_module('ofsted_reader.cli', run_name='__main__')\n"
    "finally:\n"
    "    sys.stderr.flush()\n"
)


def peak_run(args: list[str], env: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, str, str, float]:
    """The CLI in a new process, with its own peak memory (MB) said on exit; the peak line is taken out of stderr."""
    status, out, err = measured([], env, timeout, code=PEAK_PRINTER.format(args=[str(a) for a in args]))
    lines = err.splitlines()
    peak = next(int(line.split()[1]) for line in lines if line.startswith("peak-kb "))
    return status, out, "\n".join(line for line in lines if not line.startswith("peak-kb ")), peak / 1024


# --- codebooks ----------------------------------------------------------------------------------------------------


def test_a_codebook_import_applies_the_description_limit_so_every_backup_restores(tmp_path, monkeypatch):
    long = tmp_path / "long.qdc"
    long.write_text(
        qdc(f'<Code name="long" guid="1"><Description>{"x" * 20_000}</Description></Code><Code name="ok" guid="2"/>')
    )
    result = run_cli("codebook", "import", str(long))
    assert result.returncode == 2 and "at most 10,000 characters" in one_line(result.stderr)
    assert "nothing was imported" in result.stderr
    # Nothing was stored, so a backup of the store restores in a fresh home.
    assert '"long"' not in run_cli("codebook", "list", "--json").stdout
    backup = tmp_path / "notes.json"
    assert run_cli("backup", "export", str(backup)).returncode == 0
    monkeypatch.setenv("OFSTED_READER_HOME", str(tmp_path / "fresh"))
    assert run_cli("backup", "import", str(backup)).returncode == 0


def test_a_utf16_codebook_declaring_an_entity_is_refused_before_parsing(tmp_path):
    body = qdc(
        '<Code name="a" guid="1"><Description>' + "&big;" * 190 + "</Description></Code>",
        declaration='<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE CodeBook [<!ENTITY big "' + "x" * 1000 + '">]>',
    )
    for name, data in (("bom.qdc", body.encode("utf-16")), ("no-bom.qdc", body.encode("utf-16-le"))):
        path = tmp_path / name
        path.write_bytes(data)
        result = run_cli("codebook", "import", str(path))
        assert result.returncode == 2 and "declares a DOCTYPE or entities" in one_line(result.stderr)
    assert '"a"' not in run_cli("codebook", "list", "--json").stdout


def test_a_codebook_too_big_says_its_limit_once(tmp_path):
    big = tmp_path / "big.qdc"
    with open(big, "wb") as handle:
        handle.truncate(16 * 1024 * 1024 + 500_000)  # 16.5 MB: once said "16 MB is too big (at most 16 MB)"
    line = one_line(run_cli("codebook", "import", str(big)).stderr)
    assert "16 MB" in line and line.count("16 MB") == 1 and "too big" in line


def qdpx_with(tmp_path: Path, name: str, **member: object) -> Path:
    """A .qdpx whose project.qde is stored with the given ZipInfo fields changed (compression, flags)."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("project.qde")
        archive.writestr(info, qdc('<Code name="a" guid="1"/>'))
    data = bytearray(path.read_bytes())
    # Patch the local header and the central directory entry of the one member.
    for signature, flags_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        at = data.find(signature)
        if "flag_bits" in member:
            data[at + flags_at : at + flags_at + 2] = struct.pack("<H", member["flag_bits"])
        if "compress_type" in member:
            data[at + method_at : at + method_at + 2] = struct.pack("<H", member["compress_type"])
    path.write_bytes(bytes(data))
    return path


def test_a_qdpx_with_an_unsupported_or_encrypted_member_is_one_line(tmp_path):
    for path, said in (
        (qdpx_with(tmp_path, "method.qdpx", compress_type=99), "compressed in a way this app cannot read"),
        (qdpx_with(tmp_path, "secret.qdpx", flag_bits=1), "encrypted"),
    ):
        result = run_cli("codebook", "import", str(path))
        assert result.returncode == 2 and said in one_line(result.stderr)


def test_the_codebook_of_a_large_project_imports_its_sources_not_counted(tmp_path):
    selections = "<PlainTextSelection/>" * 300_000  # past the 200,000 elements a codebook may hold
    project = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">'
        '<CodeBook><Codes><Code name="evidence" guid="1" color="#112233"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="t" name="r">{selections}</TextSource></Sources></Project>'
    )
    path = tmp_path / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
    result = run_cli("codebook", "import", str(path))
    assert result.returncode == 0, result.stderr
    assert "evidence" in run_cli("codebook", "list").stdout


def under_declared_qdpx(path: Path, inflated: int) -> Path:
    """A .qdpx whose project.qde inflates to `inflated` bytes but whose headers declare 100 bytes."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    zeros = b"\0" * (1 << 20)
    compressed = b"".join(deflate.compress(zeros) for _ in range(inflated >> 20)) + deflate.flush()
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("project.qde")
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, b"x")
    # Rewrite by hand: local header, the compressed data, the central directory, with the small size declared.
    name = b"project.qde"
    crc, declared = 0, 100
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(compressed), declared, len(name), 0)
    sizes = (crc, len(compressed), declared, len(name))
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, 0)
    directory = central + name
    offset = len(local) + len(name) + len(compressed)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), offset, 0)
    path.write_bytes(local + name + compressed + directory + end)
    return path


@pytest.mark.subprocess
def test_a_qdpx_member_that_under_declares_its_size_is_not_inflated(tmp_path, isolated_home):
    path = under_declared_qdpx(tmp_path / "liar.qdpx", 400 * 1024 * 1024)
    status, _, err, peak = peak_run(["codebook", "import", str(path)], timeout=60)
    assert status == 2 and "project.qde" in one_line(err) and "nothing was imported" in err
    assert peak <= PEAK_MB, f"{peak:.0f} MB"


# --- config.json, keymap.json, the viewer ---------------------------------------------------------------------------


def hostile(path: Path, kind: str) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    elif kind == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000)


@pytest.mark.subprocess
@pytest.mark.parametrize("kind", ["fifo", "zero", "deep"])
def test_a_hostile_config_is_one_warning_and_open_goes_on(tmp_path, isolated_home, kind):
    imported = run_cli("import", str(PDFS / "birmingham-2016.pdf"))
    assert imported.returncode == 0, imported.stderr
    hostile(isolated_home / "config.json", kind)
    record = tmp_path / "viewer.txt"
    fake = f"{sys.executable} -c \"import sys; open({str(record)!r}, 'w').write(' '.join(sys.argv[1:]))\" {{file}}"
    status, out, err, peak = peak_run(["open", "birmingham"], env={"OFSTED_READER_PDF_VIEWER": fake}, timeout=30)
    assert status == 0 and "config.json: cannot be read" in one_line(err) and "opened" in out
    assert peak <= PEAK_MB, f"{peak:.0f} MB"


@pytest.mark.subprocess
@pytest.mark.parametrize("kind", ["fifo", "zero", "deep", "unknown"])
def test_a_hostile_keymap_is_one_problem_said_in_seconds(tmp_path, kind):
    path = tmp_path / "keymap.json"
    if kind == "unknown":
        path.write_text(json.dumps({f"app.no-such-{i}": "x" for i in range(100_000)}))
    else:
        hostile(path, kind)
    code = PEAK_KB + (
        "from pathlib import Path\nfrom ofsted_reader.tui.keymap import read_keymap\n"
        f"keymap = read_keymap(Path({str(path)!r}))\nprint(keymap.problem)\nprint(peak_kb())\n"
    )
    status, out, err = measured([], timeout=20, code=code)
    problem, peak_kb = out.strip().splitlines()
    assert status == 0 and "Traceback" not in err and "no key is remapped" in problem and str(path) in problem
    assert len(problem) < 600
    assert int(peak_kb) / 1024 <= PEAK_MB


async def test_a_keymap_nested_deep_is_said_and_the_app_starts(isolated_home):
    isolated_home.mkdir(parents=True, exist_ok=True)
    hostile(isolated_home / "keymap.json", "deep")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        warnings = told(app, "warning")
        assert any("keymap.json" in w and "no key is remapped" in w for w in warnings)
        await settle(pilot)
    assert read_keymap(isolated_home / "keymap.json").keys == {}


@pytest.mark.parametrize(
    ("command", "said"),
    [('zathura -P {page} "{file}', "check its quotes"), ("zathura\u0000 {file}", "control character")],
)
def test_a_viewer_command_that_cannot_run_is_a_warning_at_load(isolated_home, monkeypatch, command, said):
    run_cli("import", str(PDFS / "birmingham-2016.pdf"))
    (isolated_home / "config.json").write_text(json.dumps({"pdf_viewer": command}))
    config = Config.load()
    assert config.viewer_words is None and said in one_line("\n".join(config.problems))
    monkeypatch.setenv("PATH", "/nowhere")
    result = run_cli("open", "birmingham")
    assert result.returncode == 2 and "Traceback" not in result.stderr and said in result.stderr


def test_open_refuses_a_negative_page_before_any_viewer_starts(tmp_path, isolated_home, monkeypatch):
    run_cli("import", str(PDFS / "birmingham-2016.pdf"))
    record = tmp_path / "viewer.txt"
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", f"{sys.executable} -c \"open({str(record)!r}, 'w')\" {{file}}")
    result = run_cli("open", "birmingham", "--page", "-5")
    assert result.returncode == 2 and "not a page" in one_line(result.stderr)
    assert not record.exists()


def test_page_inside_the_data_dirs_path_is_left_as_it_is(tmp_path, monkeypatch):
    home = tmp_path / "a{page}b"
    monkeypatch.setenv("OFSTED_READER_HOME", str(home))
    run_cli("import", str(PDFS / "birmingham-2016.pdf"))
    record = tmp_path / "viewer.txt"
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", viewer_recording_to(record))
    assert run_cli("open", "birmingham", "--page", "3").returncode == 0
    page, file = recorded(record)
    assert page == "3" and file == str(home / "library" / "birmingham-2016-11-25.pdf")


def test_a_viewer_that_takes_options_gets_the_file_after_a_double_dash(tmp_path):
    file = tmp_path / "--help.pdf"
    command, at_page = viewer.command_for(file, 8, ["zathura", "-P", "{page}", "{file}"])
    assert command == ["zathura", "-P", "8", "--", str(file)] and at_page
    # A viewer not known to take `--` is given the file as the template says (always an absolute path).
    command, _ = viewer.command_for(Path("--help.pdf"), 2, ["myviewer", "{file}"])
    assert command == ["myviewer", str(Path.cwd() / "--help.pdf")]


async def test_O_opens_the_librarys_copy_not_the_path_typed_at_import(tmp_path, isolated_home, monkeypatch):
    elsewhere = tmp_path / "downloads"
    elsewhere.mkdir()
    (elsewhere / "--help.pdf").write_bytes((PDFS / "birmingham-2016.pdf").read_bytes())
    assert run_cli("import", "--", "--help.pdf", cwd=elsewhere).returncode == 0
    monkeypatch.chdir(tmp_path)  # the app started from another folder
    record = tmp_path / "viewer.txt"
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", viewer_recording_to(record))
    app = make_app(first_run=False)
    async with app.run_test(size=(120, 40)) as pilot:
        report_id = next(e.id for e in app.library.entries() if e.id.startswith("birmingham"))
        report = app.library.load(report_id)
        paragraph = next(p for p in report.paragraphs if p.page and p.page >= 3)
        await open_at(pilot, paragraph.id)
        await pilot.press("O")
        await settle(pilot)
        await eventually(pilot, lambda: record.exists() and record.read_text())
        page, file = record.read_text().splitlines()
        assert page == str(paragraph.page) and file == str(isolated_home / "library" / f"{report_id}.pdf")


async def test_O_with_an_unbalanced_viewer_command_warns_and_the_app_lives(isolated_home, monkeypatch):
    run_cli("import", str(PDFS / "birmingham-2016.pdf"))
    monkeypatch.setenv("OFSTED_READER_PDF_VIEWER", 'zathura "{file}')
    monkeypatch.setenv("PATH", "/nowhere")
    app = make_app(first_run=False)
    async with app.run_test(size=(120, 40)) as pilot:
        report_id = next(e.id for e in app.library.entries() if e.id.startswith("birmingham"))
        await open_at(pilot, app.library.load(report_id).paragraphs[5].id)
        await pilot.press("O")
        await settle(pilot)
        said = " ".join(told(app))
        assert "check its quotes" in said and app.is_running


# --- PDFs, notes files, search, folders ------------------------------------------------------------------------------


def pdf_with_pages(count: int) -> bytes:
    """A small valid PDF whose page tree lists one page object `count` times."""
    stream = b"BT /F1 12 Tf 72 720 Td (Hello) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * count) + b"] /Count " + str(count).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@pytest.mark.subprocess
def test_a_pdf_listing_one_page_a_million_times_is_refused_before_parsing(tmp_path, isolated_home):
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf_with_pages(1_000_000))
    status, _, err, peak = peak_run(["import", str(path)], timeout=30)
    assert status == 2 and "1,000,000 pages" in one_line(err) and "nothing was imported" in err
    assert peak <= PEAK_MB, f"{peak:.0f} MB"
    assert not (isolated_home / "library").exists() or not list((isolated_home / "library").iterdir())


def test_the_notes_journal_is_private_from_the_first_note(isolated_home):
    from ofsted_reader.importers import parse_file
    from ofsted_reader.store.notes.annotations import AnnotationStore

    report = parse_file(REPORTS / "derby-2011.txt")
    before = os.umask(0o022)  # the usual umask, which left the journal readable by everyone
    try:
        AnnotationStore().add(report, report.paragraphs[3].id, "first", [])
    finally:
        os.umask(before)
    journal = isolated_home / "annotations.added.jsonl"
    assert journal.exists() and journal.stat().st_mode & 0o777 == 0o600


@pytest.mark.subprocess
@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="root needs setpriv to drop its rights")
def test_search_works_on_a_read_only_data_dir_whose_index_is_whole(monkeypatch):
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="ofsted-reader-ro-"))  # pytest's own folders are closed to other users
    try:
        monkeypatch.setenv("OFSTED_READER_HOME", str(home))
        # The index made, whole, by a process that has ended: no -wal or -shm file is left, as on a read-only disk.
        assert run_process("search", "fostering", env={"OFSTED_READER_HOME": str(home)}).returncode == 0
        assert not list(home.rglob("*-shm"))
        for folder, _, names in os.walk(home):
            os.chmod(folder, 0o555)
            for name in names:
                os.chmod(os.path.join(folder, name), 0o444)
        # Root ignores permissions: it searches as another user, to whom the data dir is readable, not writable.
        drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*drop, sys.executable, "-m", "ofsted_reader.cli", "search", "fostering", "--limit", "1"],
            capture_output=True,
            text=True,
            cwd="/",
            timeout=60,
            env={**os.environ, "HOME": "/nonexistent"},
        )
        assert result.returncode == 0, result.stderr
        assert "paragraphs match" in result.stdout and "wiltshire" in result.stdout
    finally:
        for folder, _, _ in os.walk(home):
            os.chmod(folder, 0o755)
        shutil.rmtree(home, ignore_errors=True)


def test_a_folder_deeper_than_the_longest_path_is_said_not_skipped(tmp_path):
    top = tmp_path / "deep"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 folders of 200 characters: past PATH_MAX (4,096)
            os.mkdir("d" * 200, dir_fd=fd)
            inner = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        report = os.open("report.pdf", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(report, (PDFS / "birmingham-2016.pdf").read_bytes())
        os.close(report)
    finally:
        os.close(fd)
    for command in ("import", "parse"):
        result = run_cli(command, str(top))
        assert result.returncode == 2 and "nested deeper than this system's longest path" in one_line(result.stderr)
