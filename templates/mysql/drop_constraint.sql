{# MySQL 8 names the kind of constraint it drops. #}
ALTER TABLE {{ table }} DROP
{%- if kind == "primary" %} PRIMARY KEY
{%- elif kind == "unique" %} INDEX {{ name }}
{%- elif kind == "foreignkey" %} FOREIGN KEY {{ name }}
{%- else %} CHECK {{ name }}
{%- endif %}
