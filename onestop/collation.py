"""Vietnamese alphabetical order (a, ă, â, b, c, d, đ, e, ê, …) for lists, report rows and exports.

Python's own sort puts "Đất đai" after "Tư pháp" (Đ is U+0110) and "ăn" before "an"'s neighbours
wrongly; ICU's Vietnamese collation (CLDR, through PyICU) is the well-kept rule. PostgreSQL sorts the
same way with COLLATE "vi-x-icu" where a query orders by a name.
"""
from functools import lru_cache

import icu


@lru_cache(maxsize=1)
def _collator() -> "icu.Collator":
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(text: str) -> bytes:
    """The key that puts Vietnamese words in dictionary order: sorted(names, key=sort_key)."""
    return _collator().getSortKey(text or "")


def sorted_vi(items, key=lambda item: item):
    """The items in Vietnamese order of key(item)."""
    return sorted(items, key=lambda item: sort_key(key(item)))
