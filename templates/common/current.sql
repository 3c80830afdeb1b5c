{# `default now()` (what is timestamp) and `default current_date` (what is date). #}
{% if what == "date" %}
CURRENT_DATE
{%- else %}
CURRENT_TIMESTAMP
{%- endif %}
