{# action is add, update or drop: sp_addextendedproperty fails when the property exists. #}
EXEC sp_{{ action_word }}extendedproperty @name = N'MS_Description'
{%- if text is not none %}, @value = {{ text }}{% endif %}, @level0type = N'SCHEMA', @level0name = {{ schema_literal }}, @level1type = N'TABLE', @level1name = {{ table_literal }}
{%- if target == "column" %}, @level2type = N'COLUMN', @level2name = {{ column_literal }}{% endif %}
