DROP INDEX {% if if_exists %}IF EXISTS {% endif %}{{ name_qualified }}
{%- if online %} ONLINE{% endif %}
