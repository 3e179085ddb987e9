"""Math rendered at build time (docs/_ext/server_math.py): KaTeX in QuickJS, and the
definitions printed under a derivation. (Its reading of derivation rows is being
replaced, and is not tested here.)"""

from __future__ import annotations

import pytest
import server_math

from gradavg.derivation import DEFINITION_SEPARATOR, WHERE


def test_katex_renders_html_with_mathml_beside_it() -> None:
    inline = server_math.render(r"\sigma'(x)", display=False)
    assert inline.startswith('<span class="katex">')
    assert "<math" in inline
    assert 'class="katex-html"' in inline
    assert 'class="katex-display"' in server_math.render("x", display=True)


def test_bad_tex_is_a_value_error_with_katexs_message() -> None:
    with pytest.raises(ValueError, match="ParseError"):
        server_math.render(r"\frac{1}{", display=False)


def test_the_definitions_under_a_derivation_are_one_formula_each() -> None:
    tex = f"a = b\n\n{WHERE}J = x{DEFINITION_SEPARATOR}K = y"
    assert server_math.split_definitions(tex) == ("a = b", ["J = x", "K = y"])


@pytest.mark.parametrize(
    "tex", ["a = b", "a = b\n\nc = d", f"a = b\n\n{WHERE}J = x\n\nmore", f"{WHERE}J = x"]
)
def test_math_without_definitions_is_left_whole(tex: str) -> None:
    assert server_math.split_definitions(tex) == (tex, [])
