{# The parts of an index: each a quoted column or an expression, `DESC` after a descending column. #}
{% macro parts(parts) %}
{% for p in parts %}{{ p.sql }}{% if p.desc %} DESC{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}
