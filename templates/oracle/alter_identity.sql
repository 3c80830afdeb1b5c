{# An existing column's identity (Oracle): only `drop` is asked for (see Rules::alter_identity). #}
ALTER TABLE {{ table }} MODIFY {{ column }} DROP IDENTITY
