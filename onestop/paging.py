"""The page of a list asked in the query string, bounded so that a huge number is a 422, not a database error."""
from flask import abort, request

MAX_PAGE = 1_000_000  # 50 million rows at 50 a page: past the end of any list the app shows


def requested_page() -> int:
    """`?page=` as a number from 1 to MAX_PAGE; 1 when absent; anything else answers 422."""
    text = request.args.get("page", "").strip()
    if not text:
        return 1
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        abort(422)
    return int(text)
