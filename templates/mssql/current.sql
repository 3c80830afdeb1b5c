{# SQL Server has no CURRENT_DATE. #}
{% if what == "date" %}
CAST(GETDATE() AS DATE)
{%- else %}
CURRENT_TIMESTAMP
{%- endif %}
