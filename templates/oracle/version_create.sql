{# CHAR semantics, so 32 characters fit whatever NLS_LENGTH_SEMANTICS says. #}
CREATE TABLE {{ table }} (
    {{ column }} VARCHAR2(32 CHAR) NOT NULL,
    CONSTRAINT {{ pk }} PRIMARY KEY ({{ column }})
)
