"""The article claim checker: find the health claims in an article and grade each against the knowledge base.

Pure core: takes text (or a document's bytes, see documents.py) and returns values. Verdicts come from the
curated, cited claim cards (knowledge/data/claims/), never from a model.
"""

from dosewise.knowledge.claims.check import ArticleCheck, ClaimResult, SafetyNote, check_article
from dosewise.knowledge.claims.documents import read_document, read_pasted

__all__ = ["ArticleCheck", "ClaimResult", "SafetyNote", "check_article", "read_document", "read_pasted"]
