{% import "_constraint.sql" as k %}
{# not_valid: WITH NOCHECK leaves the rows already there unchecked (the constraint is then untrusted until validated). #}
ALTER TABLE {{ table }}{% if not_valid is defined and not_valid %} WITH NOCHECK{% endif %} ADD {{ k.constraint(constraint) }}
