{# Only what changed: Oracle rejects restating NOT NULL on a NOT NULL column (ORA-01442). #}
ALTER TABLE {{ table }} MODIFY ({{ column }}
{%- if type is not none %} {{ type }}{% endif %}
{%- if set_default %} DEFAULT {% if default is not none %}{{ default }}{% else %}NULL{% endif %}{% endif %}
{%- if nullable is true %} NULL{% elif nullable is false %} NOT NULL{% endif %})
