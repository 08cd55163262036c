"""Content sniffing, signed envelopes (.p7m) and the read_document dispatcher.

Inputs are the hostile corpus's real files (../shared/corpus/hostile) and, for
nesting and detached signatures, envelopes signed here with `cryptography`.
The signer subject expected below is the one `openssl pkcs7 -print_certs`
prints for the corpus envelope.
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

import extract
from extract import read_document
from extract.ir import ReaderError
from extract.p7m import unwrap_p7m
from extract.pdf import read_pdf
from extract.sniff import sniff

HOSTILE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "hostile"
pytestmark = pytest.mark.skipif(
    not HOSTILE.is_dir(), reason=f"hostile corpus not found at {HOSTILE}"
)

SIGNER_CN = "Firmatario di Prova"
SIGNER_SERIAL = "TINIT-TSTTST00A01H501X"


def corpus(name: str) -> bytes:
    return (HOSTILE / name).read_bytes()


def _texts(doc) -> list[str]:
    return [b.text for b in doc.texts()]


# ------------------------------------------------------------------ envelopes


@pytest.mark.parametrize(
    "name", ["synthetic-signed-cades.pdf.p7m", "synthetic-signed-cades-base64.pdf.p7m"]
)
def test_p7m_unwraps_to_the_signed_pdf(name: str) -> None:
    out = unwrap_p7m(corpus(name))
    assert out.content == corpus("synthetic-valid-small.pdf")
    assert out.layers == 1 and len(out.signers) == 1
    assert SIGNER_CN in out.signers[0] and SIGNER_SERIAL in out.signers[0]


def test_der_envelope_is_not_taken_for_a_pdf() -> None:
    der = corpus("synthetic-signed-cades.pdf.p7m")
    assert b"%PDF-" in der[:1024]  # the trap: the PDF header sits inside the envelope
    assert sniff(der, "x.pdf.p7m").kind == "p7m"
    assert sniff(corpus("synthetic-signed-cades-base64.pdf.p7m")).kind == "p7m"


@pytest.mark.parametrize(
    "name", ["synthetic-signed-cades.pdf.p7m", "synthetic-signed-cades-base64.pdf.p7m"]
)
def test_read_document_reads_the_signed_pdf_with_its_signer(name: str) -> None:
    doc = read_document(HOSTILE / name)
    plain = read_pdf(HOSTILE / "synthetic-valid-small.pdf")
    assert doc.format == "pdf" and _texts(doc) == _texts(plain) and _texts(doc)
    assert SIGNER_CN in doc.meta["signer"] and doc.source == str(HOSTILE / name)


def _sign(content: bytes, cn: str, *, detached: bool = False) -> bytes:
    """A real CAdES-like SignedData over `content`, signed by a fresh self-signed EC key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs7
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    options = [pkcs7.PKCS7Options.Binary] + (
        [pkcs7.PKCS7Options.DetachedSignature] if detached else []
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, options)
    )


def test_nested_envelopes_unwrap_repeatedly(tmp_path: Path) -> None:
    inner = corpus("synthetic-signed-cades.pdf.p7m")
    outer = _sign(inner, "Secondo Firmatario")
    out = unwrap_p7m(outer)
    assert out.content == corpus("synthetic-valid-small.pdf") and out.layers == 2
    assert "Secondo Firmatario" in out.signers[0] and SIGNER_CN in out.signers[1]

    path = tmp_path / "piano.pdf.p7m.p7m"
    path.write_bytes(outer)
    doc = read_document(path)
    assert doc.format == "pdf" and doc.meta["envelopes"] == 2
    assert "Secondo Firmatario" in doc.meta["signer"] and SIGNER_CN in doc.meta["signer"]


def test_detached_signature_says_the_document_is_elsewhere() -> None:
    with pytest.raises(ReaderError) as err:
        unwrap_p7m(_sign(corpus("synthetic-valid-small.pdf"), "Firmatario", detached=True))
    assert err.value.kind == "unsupported" and "detached" in err.value.message


def test_truncated_envelope_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "piano.pdf.p7m"
    path.write_bytes(corpus("synthetic-signed-cades.pdf.p7m")[:300])
    with pytest.raises(ReaderError) as err:
        read_document(path)
    assert err.value.kind == "corrupt" and ".p7m" in err.value.message


# ------------------------------------------------------------------ sniffing


def test_html_saved_as_pdf() -> None:
    with pytest.raises(ReaderError) as err:
        sniff(corpus("synthetic-html-error-page.pdf"), "synthetic-html-error-page.pdf")
    assert err.value.kind == "not_pdf"
    assert err.value.message.startswith("not a PDF: looks like HTML")
    assert "404 - Pagina non trovata" in err.value.message  # the page's <title>


def test_word_97_binary() -> None:
    # a .doc (renamed .docx) is sniffed as what it is and goes to LibreOffice
    # (extract/legacy.py; tests/test_legacy_convert.py reads one, with and without it)
    name = "textract-raw_text-doc-renamed.docx"
    assert sniff(corpus(name), name).kind == "doc"


def test_empty_file() -> None:
    with pytest.raises(ReaderError) as err:
        read_document(HOSTILE / "synthetic-zero-bytes.pdf")
    assert err.value.kind == "empty" and "0 bytes" in err.value.message


def test_gzip_is_recognised_and_decompressed() -> None:
    data = corpus("qpdf-minimal-gzipped.pdf")
    assert sniff(data, "qpdf-minimal-gzipped.pdf").kind == "gzip"
    doc = read_document(HOSTILE / "qpdf-minimal-gzipped.pdf")
    assert _texts(doc) == _texts(read_pdf(HOSTILE / "qpdf-minimal.pdf")) == ["Potato"]
    assert any("gzip" in w for w in doc.warnings)


def test_gzip_bomb_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "MAX_GUNZIPPED_BYTES", 10_000)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(gzip.compress(b"%PDF-1.4\n" + b" " * 50_000))
    with pytest.raises(ReaderError) as err:
        read_document(path)
    assert err.value.kind == "too_large" and "gzip" in err.value.message


def test_other_impostors() -> None:
    cases = {
        "synthetic-png-named.pdf": ("not_pdf", "PNG image"),
        "qpdf-bad1.pdf": ("not_pdf", "no %PDF header"),
        "python-docx-test-truncated.docx": ("truncated", "central directory"),
    }
    for name, (kind, words) in cases.items():
        with pytest.raises(ReaderError) as err:
            sniff(corpus(name), name)
        assert err.value.kind == kind and words in err.value.message, name


def test_real_type_wins_over_the_extension() -> None:
    assert sniff(corpus("python-docx-test-docx-renamed.pdf"), "x.pdf").kind == "docx"
    junk = sniff(corpus("pdfjs-issue6069.pdf"), "x.pdf")  # "Some junk before the header\n\n"
    assert (junk.kind, junk.offset) == ("pdf", 29) and junk.warning


def test_encrypted_with_user_password() -> None:
    with pytest.raises(ReaderError) as err:
        read_document(HOSTILE / "pypdf-r4-aes-user-password.pdf")
    assert err.value.kind == "encrypted" and "password required" in err.value.message
    # Empty user password (owner password only): opens without asking.
    assert _texts(read_document(HOSTILE / "pypdf-r6-owner-password.pdf"))


def test_markdown_by_extension_only(tmp_path: Path) -> None:
    text = b"# PIAO\n\nTesto **in grassetto**.\n"
    assert sniff(text, "piano.md").kind == "md"
    with pytest.raises(ReaderError) as err:
        sniff(text, "piano.pdf")
    assert err.value.kind == "not_pdf"
