"""What the bytes are, whatever the file is called.

``filetype`` recognises binary formats from their magic numbers; markup and text are
recognised here. The extension only breaks ties a content check cannot (it is never trusted
over the content: a ``.txt`` holding a PDF is a PDF).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

import filetype

HEAD = 4096
HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
HTML_TAG = re.compile(rb"</?(p|div|span|br|table|td|tr|a|h[1-6]|li|ul|script|style|font|strong|b|img)\b[^>]*>", re.I)


@dataclass(frozen=True)
class Probe:
    head: bytes  # the first bytes, where signatures live
    mime: str | None  # filetype's guess from magic numbers
    extension: str  # lower-case, with the dot; a hint only
    size: int

    @classmethod
    def of(cls, data: bytes, filename: str = "") -> Probe:
        return cls(data[:HEAD], filetype.guess_mime(data[:8192]), PurePath(filename).suffix.lower(), len(data))

    def starts_with(self, *signatures: bytes, within: int = 0) -> bool:
        return any(s in self.head[: within + len(s)] for s in signatures)

    def looks_like_html(self) -> bool:
        """A document that starts like a page, or text dense with tags."""
        head = self.head.lstrip(b"\xef\xbb\xbf")
        if HTML_START.match(head):
            return True
        return len(HTML_TAG.findall(head)) >= 5
