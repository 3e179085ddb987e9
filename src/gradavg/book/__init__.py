"""What the pages of *The Gradient of the Average* share, built on :mod:`gradavg.verify`.

:mod:`~gradavg.book.page` is the page API (derivations glued with their records,
statements, snippets); :mod:`~gradavg.book.notation` declares the book's symbols and
:mod:`~gradavg.book.glossary` their meanings; :mod:`~gradavg.book.formats` writes numbers
as the prose shows them; :mod:`~gradavg.book.links` gives published addresses and
:mod:`~gradavg.book.style` the figures' common look.
"""
