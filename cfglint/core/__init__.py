"""Shared records and helpers: text, documents, findings, budgets, numbers. Imports nothing else from cfglint."""
