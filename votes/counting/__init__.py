"""Counting a residents' vote, apart from Django: the pabulib file format (pabulib) and the
rules (rules). Nothing here reads the database, so that a published vote is recounted by
the same code that counted it."""
