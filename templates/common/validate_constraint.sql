{# Checks the rows a not_valid constraint left unchecked (PostgreSQL). #}
ALTER TABLE {{ table }} VALIDATE CONSTRAINT {{ name }}
