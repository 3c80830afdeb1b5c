ALTER TABLE {{ table }} ALTER COLUMN {{ def.name }} {{ def.type }}{% if def.not_null %} NOT NULL{% else %} NULL{% endif %}
