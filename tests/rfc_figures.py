"""Reading the RFCs' figures: line unwrapping as each RFC prints its examples, and checks."""

from __future__ import annotations

import re
import textwrap


def unwrap_rfc8792(figure: str) -> str:
    """RFC 8792 §7.2.2 single-backslash wrapping: a line ending in "\\" continues, minus the next line's indent."""
    return re.sub(r"\\\n[ \t]*", "", textwrap.dedent(figure).strip())


def obs_fold(figure: str) -> str:
    """One field line from a figure whose continuation lines are obs-fold.

    RFC 9112 §5.2 (obs-fold = OWS CRLF RWS), as RFC 9110 §5.5 asks a recipient
    to read it: each line break and the indentation after it become one SP.
    """
    return re.sub(r"\n[ \t]+", " ", textwrap.dedent(figure).strip())


def unwrap_editorial(figure: str) -> str:
    """One field line from a figure whose RFC says its line wrapping is editorial.

    RFC 8292 §2.4 ("the example header fields in this document include extra line
    wrapping to meet formatting constraints") and RFC 7804 §5 break a field line after
    the auth-scheme or after the comma between two auth-params, and also inside long
    base64 values. Reading every break as obs-fold (one SP) would cut those values in
    two, so: a break after the first line or after a "," is one SP, any other break
    joins the two pieces of one value.
    """
    lines = [line.strip() for line in textwrap.dedent(figure).strip().splitlines()]
    text = lines[0]
    for index, line in enumerate(lines[1:], start=1):
        text += " " if index == 1 or text.endswith(",") else ""
        text += line
    return text


def unwrap_fixed_width(figure: str) -> str:
    """One field line from RFC 9577 Appendix A.2, cut at a fixed width.

    "Line folding is only used to fit the document formatting constraints and not
    supported in actual requests": the pieces join with nothing between them, so
    only a space the RFC prints after the indentation (" token-key=") is kept.
    """
    return "".join(textwrap.dedent(figure).strip("\n").splitlines())


def field(text: str, name: str) -> str:
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == name.lower():
            return value.strip()
    raise AssertionError(f"no {name}")


def assert_secret_free(value: object, *secrets: str) -> None:
    text = repr(value)
    assert "<redacted>" in text
    for secret in secrets:
        assert secret not in text
