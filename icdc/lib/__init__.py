"""Reusable building blocks that are not a Django app: SM4 encryption at rest (``sm4``),
encrypted model fields (``fields``) and display masking of personal numbers (``masking``)."""
