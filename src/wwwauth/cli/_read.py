"""Reading the CLI's input: header lines, a ``curl -sI`` / ``curl -i`` / ``curl -v`` dump,
bare values of one field, or a HAR file, into messages of field lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import urlsplit

from .._abnf import TOKEN
from .._registry import FIELD_NAMES, FieldName
from ..model import ascii_lower

MessageKind = Literal["request", "response", "headers"]
Side = Literal["request", "response"]
FieldLines = list[tuple[FieldName | str, str]]

# The six authentication fields by their lower-cased name.
FIELDS: Final[dict[str, FieldName]] = {ascii_lower(name): name for name in FIELD_NAMES}
# RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ];
# curl writes HTTP/2 and HTTP/3 as "HTTP/2 401".
STATUS_LINE_RE: Final = re.compile(r"HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b[ \t]*(.*)")
# RFC 9112 §3: request-line = method SP request-target SP HTTP-version
REQUEST_LINE_RE: Final = re.compile(rf"({TOKEN}) (\S+) HTTP/\d(?:\.\d)?")
# RFC 9112 §5: field-line = field-name ":" OWS field-value OWS. Only the name and its
# colon are matched; the OWS around the value is stripped in Python, so a long run of
# spaces costs linear time (a lazy group before an optional run would not).
_FIELD_NAME_RE: Final = re.compile(rf"({TOKEN}):")


class UsageError(Exception):
    """Bad arguments or unreadable input: exit status 2."""


@dataclass
class Message:
    """A request, a response, or header lines with no start line."""

    kind: MessageKind
    label: str
    status: int | None = None
    lines: FieldLines = field(default_factory=list)


@dataclass
class Input:
    """The messages read from all inputs, and how many HAR entries they came from."""

    messages: list[Message] = field(default_factory=list)
    har_entries: int = 0


def canonical_name(name: str) -> FieldName | str:
    """The canonical spelling of an authentication field's name; other names as given."""
    return FIELDS.get(ascii_lower(name), name)


def field_line(line: str) -> tuple[str, str] | None:
    """``(name, value)`` of a field line (RFC 9112 §5), or None when it is not one."""
    name = _FIELD_NAME_RE.match(line)
    if name is None:
        return None
    return name.group(1), line[name.end() :].strip(" \t")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``: split at LF only, a CR before it dropped (RFC 9112 §2.2).

    ``str.splitlines`` would also split at octets such as 0x85, 0x0B, 0x0C and
    0x1C-0x1E, which ISO-8859-1 text carries inside field values.
    """
    return [line.removesuffix("\r") for line in text.split("\n")]


def safe_target(target: str) -> str:
    """A request target or URL without its query and userinfo (both may hold secrets)."""
    path, query, _ = target.partition("?")
    if "://" in path:
        parts = urlsplit(path)
        try:
            port = parts.port
        except ValueError:  # not a number: show no port
            port = None
        host = (parts.hostname or "") + ("" if port is None else f":{port}")
        path = f"{parts.scheme}://{host}{parts.path}"
    return path + ("?…" if query else "")


def read_source(data: bytes | str, source: str, bare_field: FieldName | None, into: Input) -> None:
    """Add the messages of one input to ``into``: a HAR file (JSON, UTF-8) or lines
    (octets, ISO-8859-1)."""
    if data.lstrip()[:1] in (b"{", "{"):
        try:
            document = json.loads(data)
        except (UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"{source}: looks like JSON but does not load: {error}") from error
        entries = _har_entries(document, source)
        into.har_entries += len(entries)
        into.messages.extend(read_har(document, source))
        return
    # RFC 9110 §5.5: field values are octets; ISO-8859-1 keeps each one. Arguments are
    # text already: a character above U+00FF in one is the parser's to report.
    text = data if isinstance(data, str) else data.decode("latin-1")
    into.messages.extend(_LineReader(source, bare_field).read(text))


# Lines: header lines, curl dumps, bare values


def _strip_curl_prefix(line: str) -> tuple[Side | None, str] | None:
    """curl -v's ``< `` (response) and ``> `` (request) prefixes taken off the line.

    None for curl -v's own notes and data markers (``* ``, ``{ ``, ``} ``).
    """
    if line[:2] in ("< ", "> ") or line in ("<", ">"):
        return ("response" if line[0] == "<" else "request"), line[2:]
    if line[:2] in ("* ", "{ ", "} ") or line in ("*", "{", "}"):
        return None
    return None, line


@dataclass
class _LineReader:
    """Messages of header lines, a curl -sI / -i / -v dump, or bare values of one field."""

    source: str
    bare_field: FieldName | None
    messages: list[Message] = field(default_factory=list)
    current: Message | None = None
    in_body: bool = False
    counts: dict[str, int] = field(
        default_factory=lambda: {"request": 0, "response": 0, "value": 0}
    )
    # Obs-folded continuations, joined once at the end so many folds cost linear time:
    # (message, index of the field line, its parts).
    folded: list[tuple[Message, int, list[str]]] = field(default_factory=list)

    def read(self, text: str) -> list[Message]:
        for line in split_lines(text):
            self._read_line(line)
        for message, index, parts in self.folded:
            message.lines[index] = (message.lines[index][0], " ".join(parts))
        return self.messages

    def _read_line(self, raw: str) -> None:
        stripped = _strip_curl_prefix(raw)
        if stripped is None:
            return
        side, line = stripped
        if self._start_line(line, side):
            return
        if not line.strip():
            # The empty line ends a start line's header section; what follows is a body.
            self.in_body = self.current is not None and self.current.kind != "headers"
        elif not self.in_body:
            self._header_line(line)

    def _start_line(self, line: str, side: Side | None) -> bool:
        """Start a response or a request if ``line`` is its start line."""
        status = STATUS_LINE_RE.fullmatch(line)
        if status is not None and side != "request":
            self._start("response", line.strip(), int(status.group(1)))
            return True
        request = REQUEST_LINE_RE.fullmatch(line)
        if request is not None and side != "response":
            self._start("request", f"{request.group(1)} {safe_target(request.group(2))}", None)
            return True
        return False

    def _start(self, kind: Side, text: str, status: int | None) -> None:
        self.counts[kind] += 1
        number = self.counts[kind]
        label = f"{kind} {number}: {text}" if text else f"{kind} {number}"
        self.current = Message(kind, label, status)
        self.messages.append(self.current)
        self.in_body = False

    def _header_line(self, line: str) -> None:
        current = self.current
        if line[0] in " \t" and current is not None and current.lines:
            self._fold(current, line)
            return
        name_and_value = field_line(line)
        if name_and_value is not None:
            self._field_line(*name_and_value)
        elif self.bare_field is not None:
            self._bare_value(self.bare_field, line)
        # else: not a header line: a banner or a body of a dump

    def _fold(self, current: Message, line: str) -> None:
        # RFC 9112 §5.2: a recipient replaces obs-fold with SP.
        index = len(current.lines) - 1
        last = self.folded[-1] if self.folded else None
        if last is None or last[0] is not current or last[1] != index:
            self.folded.append((current, index, [current.lines[index][1]]))
        self.folded[-1][2].append(line.strip(" \t"))

    def _field_line(self, name: str, value: str) -> None:
        if self.current is None:
            # Lines before any start line: no status, so the status checks are skipped.
            where = "header lines" if self.source == "" else f"{self.source}: header lines"
            self.current = Message("headers", f"{where} (no status line)")
            self.messages.append(self.current)
        self.current.lines.append((canonical_name(name), value))

    def _bare_value(self, bare_field: FieldName, line: str) -> None:
        # A bare value stands alone: it is checked as its own field value.
        self.counts["value"] += 1
        label = f"value {self.counts['value']} (a bare {bare_field} value)"
        self.messages.append(Message("headers", label, None, [(bare_field, line.strip(" \t"))]))
        self.current = None


# HAR files


def read_har(document: object, source: str) -> list[Message]:
    """Requests and responses of a HAR 1.2 file (log.entries[].request/response)."""
    messages: list[Message] = []
    for number, entry in enumerate(_har_entries(document, source), 1):
        if isinstance(entry, dict):
            messages.extend(_har_entry(number, entry))
    return messages


def _har_entries(document: object, source: str) -> list[object]:
    if not isinstance(document, dict) or not isinstance(document.get("log"), dict):
        raise UsageError(f"{source}: JSON but not a HAR file (no 'log' object)")
    entries = document["log"].get("entries")
    if not isinstance(entries, list):
        raise UsageError(f"{source}: HAR file without 'log.entries'")
    return entries


def _har_part(entry: dict[object, object], key: str) -> dict[object, object]:
    part = entry.get(key)
    return part if isinstance(part, dict) else {}


def _har_entry(number: int, entry: dict[object, object]) -> list[Message]:
    request, response = _har_part(entry, "request"), _har_part(entry, "response")
    target = f"{request.get('method', '?')} {safe_target(str(request.get('url', '')))}"
    messages = [
        Message("request", f"entry {number} request: {target}", None, _har_headers(request))
    ]
    status = response.get("status")
    if isinstance(status, int) and 100 <= status <= 599:
        text = f"{status} {response.get('statusText', '')}".strip()
        label = f"entry {number} response: {text} ({target})"
        messages.append(Message("response", label, status, _har_headers(response)))
    return messages


def _har_headers(part: dict[object, object]) -> FieldLines:
    headers = part.get("headers")
    lines: FieldLines = []
    if isinstance(headers, list):
        for header in headers:
            if isinstance(header, dict):
                name, value = header.get("name"), header.get("value")
                if isinstance(name, str) and isinstance(value, str):
                    lines.append((canonical_name(name), value))
    return lines
