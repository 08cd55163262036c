"""Word 97-2003 .doc and RTF → the layout IR, through LibreOffice headless.

No Python library reads the binary Word format faithfully (tables with merges and
shading); LibreOffice does, and saves it as ODT, which extract/odt.py reads. So a
legacy file is converted (`soffice --headless --convert-to odt`) in a private
temporary directory and read as that ODT. Conversion, not a reader of our own:
the IR is what LibreOffice shows, the way a municipality would open the file.

- The conversion runs in the caller's process limits: under piao's sandbox
  (piao/sandbox.py) LibreOffice inherits the worker's address-space cap, and is
  given at most the time the worker has left (`time_left`) and CONVERT_TIMEOUT_S;
  past it the whole LibreOffice process group is killed, so nothing outlives the
  document it was started for.
- Each conversion uses its own LibreOffice profile (`-env:UserInstallation`):
  parallel workers do not wait on each other's profile lock, and a LibreOffice the
  user has open is not handed the job.
- Without LibreOffice the file fails with kind "converter_missing" and a message
  naming the package to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from extract.ir import Document, ReaderError

INSTALL_HINT = ("install LibreOffice Writer (Debian/Ubuntu: "
                "`sudo apt-get install --no-install-recommends libreoffice-writer`)")
CONVERT_TIMEOUT_S = 300.0  # a 100-page .doc converts in a few seconds; this is a hang
_DEADLINE_MARGIN_S = 2.0  # stop LibreOffice this long before the sandbox stops us
_WHAT = {"doc": "Word 97-2003 .doc", "rtf": "RTF document"}
_TARGET = "odt"  # LibreOffice's own format: nothing is lost in an export filter


def soffice_path() -> str | None:
    """The LibreOffice command on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy(data: bytes, kind: str, *, name: str | None = None) -> Document:
    """Read a .doc or .rtf (`kind` "doc" or "rtf") by converting it with LibreOffice."""
    from extract.odt import read_odt

    what = _WHAT[kind]
    soffice = soffice_path()
    if soffice is None:
        raise ReaderError("converter_missing",
                          f"{what}: reading it needs LibreOffice, which is not installed: "
                          f"{INSTALL_HINT}; or save it as PDF, DOCX or ODT")
    converted = convert(data, kind, soffice)
    doc = read_odt(converted, name=name)
    doc.format = kind
    doc.meta["converted_with"] = "libreoffice"
    doc.warnings.insert(0, f"{what} read through LibreOffice (converted to ODT)")
    return doc


def convert(data: bytes, kind: str, soffice: str) -> bytes:
    """The bytes of the ODT LibreOffice saves from `data`; ReaderError when it cannot."""
    what = _WHAT[kind]
    timeout = _timeout()
    with tempfile.TemporaryDirectory(prefix="piao-lo-") as tmp:
        work = Path(tmp)
        source = work / f"input.{kind}"
        source.write_bytes(data)
        out_dir = work / "out"
        cmd = [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", _TARGET, "--outdir", str(out_dir),
               str(source)]
        # soffice is a script that starts soffice.bin: its own session, so a timeout can
        # stop the whole tree with one killpg.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True, env={**os.environ, "HOME": tmp})
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ReaderError("timeout", f"{what}: LibreOffice did not convert it within "
                              f"{timeout:.0f} s") from None
        except BaseException:
            _kill_group(proc)
            raise
        target = out_dir / f"input.{_TARGET}"
        if proc.returncode != 0 or not target.is_file():
            detail = (stderr or stdout or "").strip().splitlines()
            raise ReaderError("convert_failed", f"{what}: LibreOffice could not convert it "
                              f"(exit {proc.returncode}{': ' + detail[-1] if detail else ''})")
        return target.read_bytes()


def _timeout() -> float:
    try:  # the sandbox that runs the readers in piao; extract/ works without it
        from piao.sandbox import time_left
    except ImportError:
        return CONVERT_TIMEOUT_S
    left = time_left()
    if left is None:
        return CONVERT_TIMEOUT_S
    budget = min(CONVERT_TIMEOUT_S, left - _DEADLINE_MARGIN_S)
    if budget < 1.0:  # starting LibreOffice now would leave it running past our deadline
        raise ReaderError("timeout", "no time left under the time limit to convert it with "
                          "LibreOffice")
    return budget


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.communicate()
