"""Reading a source into an ``Article``: ``article.py`` (files, standard input, addresses; the
``Article`` itself), ``decode.py`` (bytes to text), ``html.py`` (a page's article body),
``fetch.py`` (an http(s) address)."""

from verifier.ingest.article import Article, article_from_bytes, article_from_text, is_url, read_article

__all__ = ["Article", "article_from_bytes", "article_from_text", "is_url", "read_article"]
