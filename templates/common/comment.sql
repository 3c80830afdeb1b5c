{# target is "table" or "column"; text is none when the comment is dropped. #}
COMMENT ON {% if target == "table" %}TABLE{% else %}COLUMN{% endif %} {{ object }} IS {% if text is not none %}{{ text }}{% else %}NULL{% endif %}
