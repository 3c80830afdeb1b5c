{# Oracle has no IS NULL form: an empty comment removes it. #}
COMMENT ON {% if target == "table" %}TABLE{% else %}COLUMN{% endif %} {{ object }} IS {% if text is not none %}{{ text }}{% else %}''{% endif %}
