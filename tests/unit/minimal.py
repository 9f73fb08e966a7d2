"""A minimal valid dataset, as rows, for tests that break one thing at a time."""

from __future__ import annotations

SOURCES = [{"id": "doc", "title": "A test document", "file": "doc.txt"}]
ENTITIES = [
    {"id": "land", "type": "Country", "name_en": "Land", "source": "doc", "quote": "Land exists."},
    {
        "id": "town",
        "type": "City",
        "name_en": "Town",
        "name_zh_hans": "城镇",
        "source": "doc",
        "quote": "Town is in Land.",
    },
    {
        "id": "acme",
        "type": "Company",
        "name_en": "Acme",
        "name_zh_hans": "阿克米",
        "aliases": "ACME Corp|阿克米公司",
        "source": "doc",
        "quote": "Acme is in Town.",
        "year": "2020",
    },
]
RELATIONS = [
    {"from": "town", "type": "LOCATED_IN", "to": "land", "source": "doc", "quote": "Town is in Land."},
    {"from": "acme", "type": "HEADQUARTERED_IN", "to": "town", "source": "doc", "quote": "Acme is in Town."},
]
OBSERVATIONS = [
    {
        "id": "obs-1",
        "subject": "town",
        "indicator": "ai_company_count",
        "value": "12",
        "unit": "companies",
        "year": "2023",
        "source": "doc",
        "quote": "Town has 12 AI companies.",
    },
]
