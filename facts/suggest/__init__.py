"""Suggested facts from an article's sentences: rules a careful reader would apply.

`suggest_article(article, base)` returns `Suggestion`s of the existing kinds, each quoting
the sentence (or clause) it comes from, with the entities it involves and the existing facts
it may update. Nothing here writes a file; `facts.suggest.store` does, on request.
"""

from .engine import suggest_article
from .model import Suggestion

__all__ = ["Suggestion", "suggest_article"]
