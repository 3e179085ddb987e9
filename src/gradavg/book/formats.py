"""Numbers as the prose shows them: true minus signs, fixed formats, powers of ten."""

from __future__ import annotations

import numpy as np


def true_minus(text: str) -> str:
    """``text`` with every hyphen-minus ``-`` replaced by a true minus sign (U+2212)."""
    return text.replace("-", "\N{MINUS SIGN}")


def shown(value: object, spec: str = ".4g") -> str:
    """``value`` formatted by ``spec`` for the prose, with a true minus sign (U+2212).

    Accepts anything ``float()`` accepts (numpy and sympy numbers included); the minus
    of an exponent is replaced too, so ``shown(2.5e-16, ".1e")`` is ``"2.5e−16"``. A NaN,
    which a page shows only where it computed one on purpose, is written ``NaN``.
    """
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return true_minus(format(int(value), spec))  # integer specs such as ",d" work too
    number = float(value)  # type: ignore[arg-type]
    return "NaN" if np.isnan(number) else true_minus(format(number, spec))


def scientific(value: object) -> str:
    """A positive number as a power of ten for the prose: ``4 × 10⁻¹⁶``, or ``10⁻⁶``."""
    mantissa, exponent = f"{float(value):.0e}".split("e")  # type: ignore[arg-type]
    power = "10" + str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return power if mantissa == "1" else f"{mantissa} × {power}"
