"""gradavg: the gradient of the mean loss against the mean of per-example gradients.

The numerics behind *The Gradient of the Average*: activations, models, per-example and
batch gradients, the averaging-first shortcuts, finite differences, and the derivation
engine that verifies each displayed step of the book with sympy.
"""

from __future__ import annotations

__version__ = "0.1.0"
