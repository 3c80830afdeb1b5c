{# T-SQL has no CREATE TABLE IF NOT EXISTS: test for the table first, so a
   script from base also applies after a downgrade to base kept the table. #}
IF OBJECT_ID({{ table_literal }}, 'U') IS NULL
CREATE TABLE {{ table }} (
    {{ column }} VARCHAR({{ column_length }}) NOT NULL,
    CONSTRAINT {{ pk }} PRIMARY KEY ({{ column }})
)
