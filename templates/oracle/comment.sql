{# Oracle has no IS NULL form: an empty comment removes it. COMMENT ON takes
   only a literal; a text with a line break (SQL*Plus would read a line of it
   as `/`) goes through dynamic SQL (dynamic), the statement as a literal. #}
{% if dynamic %}
{% set statement %}COMMENT ON {% if target == "table" %}TABLE{% else %}COLUMN{% endif %} {{ object }} IS {{ text_literal }}{% endset %}
BEGIN
    EXECUTE IMMEDIATE {{ statement | literal }};
END;
{% else %}
COMMENT ON {% if target == "table" %}TABLE{% else %}COLUMN{% endif %} {{ object }} IS {% if text is not none %}{{ text }}{% else %}''{% endif %}
{% endif %}
