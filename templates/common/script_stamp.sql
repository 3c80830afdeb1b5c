{# `-- Running stamp_revision A -> B` as Alembic's `stamp --sql` writes it; then the revision recorded. #}
-- Running stamp_revision {{ from }} -> {{ to }}
{% if file %}
-- {{ file }}: {{ message }}
{% endif %}
