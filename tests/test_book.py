"""Published addresses of results."""

from __future__ import annotations

import pytest

from gradavg.book import result_url


def test_result_url_on_read_the_docs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "https://gradavg.example/en/latest/")
    assert result_url("sum-rule", "thm-sum-rule") == (
        "https://gradavg.example/en/latest/sum-rule.html#thm-sum-rule"
    )


def test_no_url_for_a_local_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
    assert result_url("sum-rule", "thm-sum-rule") is None
