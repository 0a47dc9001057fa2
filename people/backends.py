"""Password login against the user table, with the signed-in user read cheaply on every request.

Every request of a signed-in user reads their row (sessions are signed cookies: the row holds
what makes a session valid, see people.User). Django's ModelBackend builds that query with the
ORM each time, which cost more than the rest of the middleware together; here its SQL and the
column converters are compiled once per database connection and only executed per request.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router


class AccountBackend(ModelBackend):
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def user_by_id(user_id):
    """The user with this primary key, as `User.objects.get(pk=…)` reads it, or None."""
    model = get_user_model()
    alias = router.db_for_read(model)
    connection = connections[alias]
    # Kept on the connection (one per thread and alias): the converters belong to its backend.
    compiled = getattr(connection, _COMPILED_ATTRIBUTE, None)
    if compiled is None or compiled.model is not model:
        compiled = _CompiledLookup(model, alias)
        setattr(connection, _COMPILED_ATTRIBUTE, compiled)
    return compiled.fetch(connection, user_id)


_COMPILED_ATTRIBUTE = "_people_compiled_user_by_id"


class _CompiledLookup:
    def __init__(self, model, alias):
        self.model = model
        self.alias = alias
        # A stand-in primary key: the compiled query's only parameter, replaced on each fetch.
        compiler = model._default_manager.using(alias).filter(pk=0).query.get_compiler(alias)
        self.sql, parameters = compiler.as_sql()
        if list(parameters) != [0]:
            raise ValueError(f"Unexpected parameters for the user lookup: {parameters!r}")
        columns = [column for column, _sql, _alias in compiler.select]
        self.field_names = [column.target.attname for column in columns]
        self.converters = compiler.get_converters(columns)
        self.compiler = compiler

    def fetch(self, connection, user_id):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, (user_id,))
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(self.compiler.apply_converters([row], self.converters))
        return self.model.from_db(self.alias, self.field_names, row)
