"""Page checks shared by the HTTP and browser tests: a strict well-formedness parse of the HTML
and the accessibility basics (labels, alternative texts, unique ids, a language)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip
# Elements whose end tag HTML lets you leave out; our templates always close them anyway.
FIELDS = {"select", "textarea"}


class PageProblems(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, str | None, bool]] = []  # tag, id, has aria-label
        self.html_lang = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = bool(a.get("lang"))
        if "id" in a:
            if a["id"] in self.ids:
                self.problems.append(f"duplicate id {a['id']!r}")
            self.ids.add(a["id"] or "")
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"] or "")
        if tag == "img" and not a.get("alt"):
            self.problems.append(f"<img src={a.get('src')!r}> without alt text")
        if (tag == "input" and a.get("type") not in ("hidden", "submit")) or tag in FIELDS:
            self.fields.append((tag, a.get("id"), bool(a.get("aria-label"))))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.problems.append(f"end tag for void element </{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def problems(html: str) -> list[str]:
    """Everything wrong with `html`, or [] for a sound page."""
    p = PageProblems()
    p.feed(html)
    p.close()
    found = list(p.problems)
    if not html.lstrip().lower().startswith("<!doctype html>"):
        found.append("no <!doctype html>")
    if not p.html_lang:
        found.append("<html> has no lang")
    if p.stack:
        found.append(f"unclosed elements: {p.stack}")
    for tag, ident, aria in p.fields:
        if not aria and (ident is None or ident not in p.label_for):
            found.append(f"<{tag} id={ident!r}> has no label")
    return found
