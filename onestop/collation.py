"""Vietnamese alphabetical order (a, ă, â, b, c, d, đ, e, ê, …) for lists, report rows and exports.

Python's own sort puts "Đất đai" after "Tư pháp" (Đ is U+0110) and "ăn" before "an"'s neighbours
wrongly; ICU's Vietnamese collation (CLDR, through PyICU) is the well-kept rule. PostgreSQL sorts the
same way with COLLATE "vi-x-icu" where a query orders by a name.
"""
import sqlite3
from functools import lru_cache

import icu
import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


@lru_cache(maxsize=1)
def _collator() -> "icu.Collator":
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(text: str) -> bytes:
    """The key that puts Vietnamese words in dictionary order: sorted(names, key=sort_key)."""
    return _collator().getSortKey(text or "")


def sorted_vi(items, key=lambda item: item):
    """The items in Vietnamese order of key(item)."""
    return sorted(items, key=lambda item: sort_key(key(item)))


def _compare(left: str, right: str) -> int:
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _teach_sqlite_vietnamese(dbapi_connection, _record) -> None:
    """SQLite learns COLLATE vi from the same ICU collator (PostgreSQL has "vi-x-icu" built in)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_collation("vi", _compare)


class vietnamese(FunctionElement):  # noqa: N801  (used like a SQL function: order_by(vietnamese(Field.name)))
    """A text column in Vietnamese order for ORDER BY, so a paged list is sorted before it is cut into pages."""
    inherit_cache = True
    type = sa.String()


@compiles(vietnamese)
def _vietnamese_sqlite(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE vi"


@compiles(vietnamese, "postgresql")
def _vietnamese_postgresql(element, compiler, **kw) -> str:
    return f'{compiler.process(element.clauses, **kw)} COLLATE "vi-x-icu"'
