{# The version table, as Alembic creates it: one row per applied head. #}
CREATE TABLE {{ table }} (
    {{ column }} VARCHAR(32) NOT NULL,
    CONSTRAINT {{ pk }} PRIMARY KEY ({{ column }})
)
