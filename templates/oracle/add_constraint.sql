{% import "_constraint.sql" as k %}
{# not_valid: ENABLE NOVALIDATE checks new rows only. #}
ALTER TABLE {{ table }} ADD {{ k.constraint(constraint) }}{% if not_valid is defined and not_valid %} ENABLE NOVALIDATE{% endif %}
