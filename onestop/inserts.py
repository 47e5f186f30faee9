"""New rows written with one INSERT each, then kept in the session as if loaded: intake's hot path.

The unit of work is the right tool for changes, but for the two rows of an intake (the dossier and its
first event) its bookkeeping cost more than everything else the request did (BENCHMARKS.md, "API
intake"). `insert_new` writes transient objects with plain INSERT statements, in the caller's
transaction, and hands them back to the session as persistent objects, nothing left pending.
"""
import functools

import sqlalchemy as sa
from sqlalchemy import orm
from sqlalchemy.orm.interfaces import MANYTOONE

from .extensions import db


def insert_new(*objects, unique: tuple[str, ...] = ()) -> bool:
    """INSERT the transient `objects` in order (a later one may point at an earlier one) and attach them.

    `unique` names columns whose clash with an existing row makes the first object's INSERT do nothing:
    then nothing is written or attached and False is returned, for the caller to change and try again.
    Any other constraint error raises as a flush would. Every column gets its value now (the object's,
    its relationship's key, or the column's default) so reading the objects afterwards costs no query.
    """
    connection = db.session.connection()  # the request's transaction; Core, without the session's own overhead
    dialect = connection.dialect.name
    for position, obj in enumerate(objects):
        mapper = sa.inspect(obj).mapper
        values = _column_values(obj, mapper)
        statement = _statement(mapper.local_table, unique if position == 0 else (), dialect)
        key = connection.execute(statement, values).scalar()
        if key is None:
            return False
        setattr(obj, mapper.primary_key[0].key, key)
    for obj in objects:  # only now: attaching one cascades to the others, which must not be new then
        orm.make_transient_to_detached(obj)
        _nothing_refers_to(obj)
    for obj in objects:
        if obj not in db.session:  # the dossier's add cascades to its event: adding that again costs a cascade walk
            db.session.add(obj)
    return True


def _column_values(obj, mapper) -> dict:
    foreign_keys, columns = _plan(mapper)
    known = sa.inspect(obj).dict
    for relationship, pairs in foreign_keys:  # the keys the flush would have copied from related objects
        if relationship in known:
            target = known[relationship]
            for local, remote in pairs:
                setattr(obj, local, None if target is None else getattr(target, remote))
    values = {}
    for name, column_key, default in columns:
        if name not in known:
            value = None if default is None else default.arg if default.is_scalar else default.arg(None)
            orm.attributes.set_committed_value(obj, name, value)
        values[column_key] = known[name]
    return values


@functools.cache
def _plan(mapper) -> tuple[list, list]:
    """Per mapper, once: which relationships give which foreign keys, and each column's attribute and default."""
    foreign_keys = [
        (relationship.key, [(mapper.get_property_by_column(local).key,
                             relationship.mapper.get_property_by_column(remote).key)
                            for local, remote in relationship.local_remote_pairs])
        for relationship in mapper.relationships if relationship.direction is MANYTOONE and not relationship.viewonly]
    columns = [(mapper.get_property_by_column(column).key, column.key, column.default)
               for column in mapper.local_table.columns if not column.primary_key]
    return foreign_keys, columns


def _nothing_refers_to(obj) -> None:
    """A row just written has no children yet: say so, so that reading a collection costs no query."""
    state = sa.inspect(obj)
    for relationship in state.mapper.relationships:
        if relationship.direction is not MANYTOONE and relationship.key not in state.dict:
            orm.attributes.set_committed_value(obj, relationship.key, [] if relationship.uselist else None)


@functools.cache
def _statement(table: sa.Table, unique: tuple[str, ...], dialect: str):
    # Built once per table: building the statement anew cost about as much as running it.
    if unique:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        statement = insert(table).on_conflict_do_nothing(index_elements=list(unique))
    else:
        statement = sa.insert(table)
    return statement.returning(*table.primary_key.columns)
