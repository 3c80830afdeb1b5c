UPDATE {{ table }} SET {% for s in set %}{{ s.column }} = {{ s.value }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- if where is not none %} WHERE {{ where }}{% endif %}
