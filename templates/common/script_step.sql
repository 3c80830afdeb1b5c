{# `-- Running upgrade A -> B` as in Alembic; then where the revision lives. #}
-- Running {{ direction }} {{ from }} -> {{ to }}
-- {{ file }}: {{ message }}
{% for line in doc %}
{{ line }}
{% endfor %}
