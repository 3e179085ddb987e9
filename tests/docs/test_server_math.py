"""Math rendered at build time (docs/_ext/server_math.py): KaTeX in QuickJS, and a
derivation drawn from the engine's record."""

from __future__ import annotations

from typing import Any

import pytest
import server_math
from docutils import nodes


def test_katex_renders_html_with_mathml_beside_it() -> None:
    inline = server_math.render(r"\sigma'(x)", display=False)
    assert inline.startswith('<span class="katex">')
    assert "<math" in inline
    assert 'class="katex-html"' in inline
    assert 'class="katex-display"' in server_math.render("x", display=True)


def test_bad_tex_is_a_value_error_with_katexs_message() -> None:
    with pytest.raises(ValueError, match="ParseError"):
        server_math.render(r"\frac{1}{", display=False)


def test_a_derivation_is_drawn_from_the_engines_record(record: dict[str, Any]) -> None:
    """One grid row per step of the record, the definitions under it; nothing is parsed."""
    html = server_math._derivation_html(nodes.math_block("", ""), record)
    assert html.count('class="derivation-left"') == 2
    assert html.count('class="derivation-right"') == 2
    assert (
        '<span class="derivation-notes"><span class="derivation-why">why</span>'
        '<span class="derivation-method">\N{CHECK MARK} symbolic</span></span>'
    ) in html
    assert '<span class="derivation-left"></span>' in html  # the second step's left side
    assert html.count('class="derivation-definition"') == 2
    assert html.endswith("</p>")


def test_a_relation_stays_with_the_first_term_of_its_step(record: dict[str, Any]) -> None:
    """KaTeX may break a step after a later = or +, never between the relation and the
    term it starts (a lone "=" at the end of a line)."""
    html = server_math._derivation_html(nodes.math_block("", ""), record)
    step = record["rows"][0]
    assert f"{step['relation']}\\nobreak {step['right']}" in html  # in the MathML annotation


def test_an_inequality_is_drawn_from_its_record_with_its_method_as_text() -> None:
    """The comparison is the formula; how it was checked is text beside it, not math."""
    record = {
        "kind": "inequality",
        "title": "t",
        "rows": [
            {
                "left": "a",
                "relation": "<",
                "right": "b",
                "justification": "",
                "method": "exact evaluation",
            }
        ],
        "definitions": [],
    }
    html = server_math._inequality_html(nodes.math_block("", ""), record)
    assert html.startswith('<div class="inequality"><span class="katex-display">')
    assert html.endswith(
        '<span class="derivation-method">\N{CHECK MARK} exact evaluation</span></div>'
    )
    assert html.count("exact evaluation") == 1  # not inside the math


def test_no_negative_height_reaches_the_page() -> None:
    """KaTeX writes ``height:-…em`` on some vertical lists, invalid CSS (Nu HTML Checker)."""
    tex = r"\displaystyle \left. \frac{\partial}{\partial k} \Phi{\left(x + k \right)} \right|_{\substack{ k=0 }}"
    rendered = server_math.render(tex, display=False)
    assert "height:-" not in rendered
    assert 'style=""' not in rendered
    raw = str(server_math._katex()(tex, False))
    assert "height:-" in raw  # what is dropped: if KaTeX stops writing it, this says so
