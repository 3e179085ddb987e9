"""Each chapter's own experiments and figures, one module named after its page.

``gradavg.chapters.sigmoid`` serves ``sigmoid.md``, ``gradavg.chapters.frameworks``
serves ``frameworks.md``, and so on; no chapter module imports another.
"""
