SET IDENTITY_INSERT {{ table }} {% if on %}ON{% else %}OFF{% endif %}
