{% import "_constraint.sql" as k %}
ALTER TABLE {{ table }} ADD {{ k.constraint(constraint) }}
