DROP INDEX {% if if_exists %}IF EXISTS {% endif %}{{ name }} ON {{ table }}
{%- if online %} WITH (ONLINE = ON){% endif %}
