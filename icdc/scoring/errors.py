"""Errors the engine raises for bad input; each carries a Chinese message for the user."""

from __future__ import annotations

from typing import Any


class ScoringInputError(ValueError):
    """Input the engine refuses. ``message`` is for users; ``template``/``fields`` let the
    caller re-render or translate it; nothing has been computed or changed."""

    def __init__(self, template: str, **fields: Any) -> None:
        self.template = template
        self.fields = fields
        self.message = template.format(**fields)
        super().__init__(self.message)


class InconsistentJudgementsError(ScoringInputError):
    """An AHP pairwise matrix with CR ≥ 0.10; ``result`` holds the analysis, including the
    comparisons that disagree most with the weights the matrix implies."""

    def __init__(self, template: str, result: Any, **fields: Any) -> None:
        self.result = result
        super().__init__(template, **fields)
