{# MariaDB has no DROP CHECK; checks go with DROP CONSTRAINT. #}
ALTER TABLE {{ table }} DROP
{%- if kind == "primary" %} PRIMARY KEY
{%- elif kind == "unique" %} INDEX {{ name }}
{%- elif kind == "foreignkey" %} FOREIGN KEY {{ name }}
{%- else %} CONSTRAINT {{ name }}
{%- endif %}
