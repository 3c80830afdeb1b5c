DELETE FROM {{ table }}
{%- if where is not none %} WHERE {{ where }}{% endif %}
