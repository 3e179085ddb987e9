"""``sitemap.xml``: every page of the book, in sorted order, after any build.

sphinx-sitemap lists the pages written in the current run, so an incremental build
(``nox -R -s docs``, ``nox -s serve``) published a sitemap of the few pages it rewrote,
and with several write workers the order of the entries varied between builds. This
writes the sitemap from all the documents of the environment instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from sphinx.application import Sphinx

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap_xml(base_url: str, pages: Iterable[str], suffix: str = ".html") -> bytes:
    """The sitemap of ``pages`` (document names) under ``base_url``, its addresses
    sorted, as bytes."""
    root = ElementTree.Element("urlset", xmlns=NAMESPACE)
    base = base_url.rstrip("/") + "/"
    for address in sorted({f"{base}{page}{suffix}" for page in pages}):
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = address
    xml: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml


def write_sitemap(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or not app.config.html_baseurl:
        return
    suffix = app.config.html_file_suffix or ".html"
    xml = sitemap_xml(app.config.html_baseurl, app.env.found_docs, suffix)
    Path(app.outdir, "sitemap.xml").write_bytes(xml)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", write_sitemap)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
