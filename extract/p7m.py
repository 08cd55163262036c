"""Signed envelopes (.p7m, CAdES / CMS SignedData): the signed document and who signed it.

Italian administrations publish signed plans as "piano.pdf.p7m". The PDF sits
verbatim inside the DER, so a lenient PDF parser may "open" the envelope and
read the PDF by accident — or choke on it. We unwrap explicitly with
asn1crypto: DER or Base64 (with or without PEM armour), and envelopes nested
inside envelopes (a document countersigned by a second signer) until the
content is no longer an envelope. The signature itself is not verified: we
report who signed, not whether the signature is valid.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field

from asn1crypto import cms

from extract.ir import ReaderError
from extract.sniff import PEM_ARMOUR, cms_encoding

# Real documents carry one or two layers; more is a loop or a hostile file.
MAX_LAYERS = 8


@dataclass
class Unwrapped:
    content: bytes
    signers: list[str] = field(default_factory=list)  # certificate subjects, outer layer first
    layers: int = 0


def _der(data: bytes) -> bytes:
    if cms_encoding(data) != "base64":
        return data
    try:
        return base64.b64decode(b"".join(PEM_ARMOUR.sub(b"", data).split()), validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ReaderError("corrupt", f"damaged signed envelope (.p7m): bad Base64 ({exc})") from exc


def _signer_subjects(signed: cms.SignedData) -> list[str]:
    certs = [c.chosen for c in (signed["certificates"] or []) if c.name == "certificate"]
    subjects = []
    for info in signed["signer_infos"]:
        sid = info["sid"]
        match = None
        for cert in certs:
            if sid.name == "issuer_and_serial_number":
                ias = sid.chosen
                if (
                    cert.issuer == ias["issuer"]
                    and cert.serial_number == ias["serial_number"].native
                ):
                    match = cert
            elif sid.name == "subject_key_identifier" and cert.key_identifier == sid.chosen.native:
                match = cert
            if match is not None:
                break
        if match is None and len(certs) == 1:
            match = certs[
                0
            ]  # some signers omit a usable identifier; one certificate is unambiguous
        if match is not None:
            subjects.append(match.subject.human_friendly)
        else:
            subjects.append("(signer certificate not included in the envelope)")
    return subjects


def unwrap_once(data: bytes) -> tuple[bytes, list[str]]:
    """Content and signer subjects of one SignedData envelope (DER or Base64)."""
    der = _der(data)
    try:
        info = cms.ContentInfo.load(der)
        if info["content_type"].native != "signed_data":
            raise ReaderError(
                "unsupported",
                f"CMS envelope of type {info['content_type'].native!r}, not a signed document",
            )
        signed = info["content"]
        content = signed["encap_content_info"]["content"]
        payload = None if content is None else content.native
        subjects = _signer_subjects(signed)
    except ReaderError:
        raise
    except (ValueError, TypeError, KeyError) as exc:
        raise ReaderError(
            "corrupt",
            f"damaged signed envelope (.p7m): the CMS structure cannot be decoded ({exc})",
        ) from exc
    if not payload:
        raise ReaderError(
            "unsupported",
            "signed envelope (.p7m) without the signed document (detached signature): "
            "the document travels in a separate file",
        )
    return bytes(payload), subjects


def unwrap_p7m(data: bytes) -> Unwrapped:
    """Unwrap envelopes until the content is not an envelope any more."""
    out = Unwrapped(content=data)
    while cms_encoding(out.content) is not None:
        if out.layers >= MAX_LAYERS:
            raise ReaderError(
                "corrupt", f"signed envelope nested more than {MAX_LAYERS} levels deep"
            )
        out.content, subjects = unwrap_once(out.content)
        out.signers.extend(subjects)
        out.layers += 1
    if out.layers == 0:
        raise ReaderError("not_p7m", "not a signed envelope (.p7m): no CMS SignedData found")
    return out
