{# The version table, as Alembic creates it: one row per applied head.
   IF NOT EXISTS, so a script from base also applies to a database that was
   downgraded to base before (the downgrade keeps the empty table). #}
CREATE TABLE IF NOT EXISTS {{ table }} (
    {{ column }} VARCHAR({{ column_length }}) NOT NULL,
    CONSTRAINT {{ pk }} PRIMARY KEY ({{ column }})
)
