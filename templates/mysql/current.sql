{# A DEFAULT other than a literal or CURRENT_TIMESTAMP is parenthesized. #}
{% if what == "date" %}
(CURRENT_DATE)
{%- else %}
CURRENT_TIMESTAMP
{%- endif %}
