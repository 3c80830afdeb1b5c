{% import "_constraint.sql" as k %}
{# not_valid: the rows already there are checked by validate_constraint (PostgreSQL NOT VALID). #}
ALTER TABLE {{ table }} ADD {{ k.constraint(constraint) }}{% if not_valid is defined and not_valid %} NOT VALID{% endif %}
