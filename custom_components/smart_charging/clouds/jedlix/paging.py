"""Reading a paged Jedlix list: how many pages to ask for, and items seen once.

The sessions list is paged (``pageSize``, ``totalPages`` or ``totalCount``) and
newest first, so items shift from page to page while the pages are read.
"""

from __future__ import annotations

from collections.abc import Mapping
import math
from typing import Any

from ..parse import ITEMS, PAGE_SIZE, PAGES, as_int, as_str


def page_plan(first: Mapping[str, Any], default_size: int, most: int) -> tuple[int, int]:
    """The page size and page count a paged answer reports (never more than ``most``)."""
    size = as_int(first.get("pageSize"), PAGE_SIZE) or default_size
    total = as_int(first.get("totalPages"), PAGES)
    if total is None:
        count = as_int(first.get("totalCount"), ITEMS)
        total = math.ceil(count / size) if count is not None else most
    return size, min(total, most)


def add_unseen(
    items: list[dict[str, Any]], seen: set[str], page_items: list[dict[str, Any]]
) -> None:
    """Add a page's items, leaving out those an earlier page showed (the list shifts).

    New items arrive at the front (newest first) while the pages are read, pushing an
    item onto the next page; it is kept once. Items without an id are all kept.
    """
    for item in page_items:
        item_id = as_str(item.get("id"))
        if item_id is None or item_id not in seen:
            items.append(item)
            if item_id is not None:
                seen.add(item_id)
