{# Oracle (before 23ai) has no CREATE TABLE IF NOT EXISTS: ignore ORA-00955
   (name already used) so a script from base also applies after a downgrade to
   base kept the table. CHAR semantics, so `column_length` characters fit whatever
   NLS_LENGTH_SEMANTICS says. The statement is a string inside the block: the
   `literal` filter quotes it (names with `'` included) as a literal. #}
{% set create %}CREATE TABLE {{ table }} ({{ column }} VARCHAR2({{ column_length }} CHAR) NOT NULL, CONSTRAINT {{ pk }} PRIMARY KEY ({{ column }})){% endset %}
BEGIN
    EXECUTE IMMEDIATE {{ create | literal }};
EXCEPTION
    WHEN OTHERS THEN
        IF SQLCODE != -955 THEN
            RAISE;
        END IF;
END;
