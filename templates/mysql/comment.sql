{# Only table comments come here; column comments are part of MODIFY. #}
ALTER TABLE {{ table }} COMMENT = {% if text is not none %}{{ text }}{% else %}''{% endif %}
