{# Turns pragma `name` on or off. #}
PRAGMA {{ name }} = {% if on %}ON{% else %}OFF{% endif %}
