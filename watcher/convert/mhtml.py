"""Web pages saved as a single file by a browser (.mhtml/.mht): the HTML part, read as a page."""

from __future__ import annotations

import email
import email.policy

from watcher.convert import html
from watcher.convert.base import ConversionError, Converted

FORMAT = "mhtml"
NAME = html.NAME
VERSION = html.VERSION


def matches(probe) -> bool:
    head = probe.head[:2048].lower()
    return b"mime-version:" in head and b"multipart/related" in head


def convert(data: bytes) -> Converted:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            markup, encoding = html.decode_markup(payload, part.get_content_charset())
            return html.convert_markup(markup, encoding, FORMAT)
    raise ConversionError("the saved web page (.mhtml) holds no HTML part")
