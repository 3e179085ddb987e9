"""Input checks shared by the numeric modules.

Every public function of the package converts its array arguments here, so that bad
input fails early with a message that names the argument and says what was wrong.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def as_float_array(
    value: Any, name: str, *, ndim: int | tuple[int, ...] | None = None
) -> FloatArray:
    """Return ``value`` as a finite float64 array, or raise naming ``name``.

    ``ndim`` restricts the number of dimensions (one int, or a tuple of allowed ones).
    Raises ``TypeError`` for non-numeric input (None, text, objects) and for complex
    input (never silently dropping the imaginary part), and ``ValueError`` for a wrong
    number of dimensions or a NaN / infinite entry.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be numeric, got {type(value).__name__} {value!r}")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be numeric, got {type(value).__name__}: {error}") from None
    if raw.dtype.kind == "c":
        # Converting would drop the imaginary part (numpy only warns), so refuse it.
        raise TypeError(f"{name} must be real, got complex values ({raw.dtype})")
    if raw.dtype.kind in "SU":
        raise TypeError(f"{name} must be numeric, got {_describe_value(value, raw)}")
    if raw.dtype.kind not in "biuf":
        # None and other objects: float64 conversion would give NaN or a cryptic error.
        raise TypeError(f"{name} must be a real number or array, got {_describe_value(value, raw)}")
    array = np.asarray(raw, dtype=np.float64)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if array.ndim not in allowed:
            wanted = " or ".join(str(d) for d in allowed)
            raise ValueError(f"{name} must have {wanted} dimension(s), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(_not_finite(name, array))
    return array


def _not_finite(name: str, array: FloatArray) -> str:
    """Where the first NaN or infinite entry of ``array`` is, in words (0-based index)."""
    if array.ndim == 0:
        return f"{name} contains a NaN or infinite value: it is {float(array)}"
    where = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
    index = where[0] if len(where) == 1 else list(where)
    return f"{name} contains a NaN or infinite value: {array[where]} at index {index}"


def as_batch(value: Any, name: str, *, ndim: int | tuple[int, ...] = 1) -> FloatArray:
    """Like :func:`as_float_array`, and also refuse an empty batch (axis 0 of length 0)."""
    array = as_float_array(value, name, ndim=ndim)
    if array.shape[0] == 0:
        raise ValueError(
            f"{name} is an empty batch: need at least one example, got shape {array.shape}"
        )
    return array


def as_positive_int(value: Any, name: str) -> int:
    """Return ``value`` as an int of at least 1, or raise naming ``name`` (bools refused)."""
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be an int, got bool {value!r}")
    try:
        n = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}") from None
    if n < 1:
        raise ValueError(f"{name} must be positive, got {n}")
    return n


def as_widths(widths: Sequence[int], name: str = "widths") -> tuple[int, ...]:
    """Return layer widths as a tuple of positive ints, or raise naming ``name``.

    Parameters
    ----------
    widths : sequence of int
        Layer sizes ``(d_in, n_1, ..., d_out)``; at least two entries, all positive.
    name : str
        Argument name used in error messages.

    Returns
    -------
    tuple of int
        The widths.
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence | np.ndarray):
        raise TypeError(f"{name} must be a sequence of ints, got {type(widths).__name__}")
    checked = [
        as_positive_int(width, f"{name}[{position}]") for position, width in enumerate(widths)
    ]
    if len(checked) < 2:
        raise ValueError(
            f"{name} needs at least two entries (input and output size), got {list(widths)!r}"
        )
    return tuple(checked)


def check_same_length(**batches: FloatArray) -> int:
    """Return the common batch size N of the named arrays, or raise naming the mismatch."""
    sizes = {name: array.shape[0] for name, array in batches.items()}
    if len(set(sizes.values())) > 1:
        listed = ", ".join(f"{name} has {n}" for name, n in sizes.items())
        raise ValueError(f"batch sizes differ: {listed} examples")
    return int(next(iter(sizes.values())))


def _describe_value(value: Any, array: np.ndarray[Any, Any]) -> str:
    """Type of ``value`` for error messages, with the dtype of an array or sequence."""
    kind = type(value).__name__
    return kind if array.ndim == 0 else f"{kind} of {array.dtype}"


class OverflowInputError(ValueError):
    """An intermediate result (a mean, a square, a gradient) overflowed float64.

    The inputs were finite; their size made ``what`` (e.g. "the mean of") overflow.
    ``names`` are the arguments that caused it, as the public function calls them;
    ``renamed`` lets a caller (the command line) name them as its user typed them.
    """

    def __init__(self, what: str, names: Sequence[str]) -> None:
        self.what, self.names = what, tuple(names)
        super().__init__(self.renamed({}))

    def renamed(self, aliases: dict[str, str]) -> str:
        """The message, with each argument name replaced by ``aliases.get(name, name)``."""
        shown = [aliases.get(name, name) for name in self.names]
        listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        return f"{self.what} {listed} overflows float64: the values are too large"


@contextmanager
def overflow_guard(what: str, *names: str) -> Iterator[None]:
    """Raise :class:`OverflowInputError` if floating overflow happens inside the block.

    ``what`` names the intermediate, up to the argument names that follow it, e.g.
    ``overflow_guard("the mean of", "x")`` for "the mean of x overflows float64: …". Floating overflow and invalid operations
    (inf − inf, 0 · inf) raise instead of warning and leaving inf or NaN behind. Pair it
    with :func:`check_finite` on the result, for operations numpy does not report.
    """
    try:
        with np.errstate(over="raise", invalid="raise"):
            yield
    except FloatingPointError:
        raise OverflowInputError(what, names) from None


def check_finite(value: Any, what: str, *names: str) -> FloatArray:
    """Return ``value`` as a float64 array, or raise :class:`OverflowInputError` if any
    entry is NaN or infinite (the arguments were checked finite, so it overflowed)."""
    array = np.asarray(value, dtype=np.float64)
    if not np.all(np.isfinite(array)):
        raise OverflowInputError(what, names)
    return array
