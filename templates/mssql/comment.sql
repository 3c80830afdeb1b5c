{# action is add, update or drop: sp_addextendedproperty fails when the property exists.
   The procedure takes a literal or a variable; a text with a line break (which
   sqlcmd could read as `GO`) is built in a variable first (declare). #}
{% if declare is not none %}
DECLARE @ddlc_comment NVARCHAR(4000) = {{ declare }};
{% endif %}
EXEC sp_{{ action_word }}extendedproperty @name = N'MS_Description'
{%- if text is not none %}, @value = {{ text }}{% endif %}, @level0type = N'SCHEMA', @level0name = {{ schema_literal }}, @level1type = N'TABLE', @level1name = {{ table_literal }}
{%- if target == "column" %}, @level2type = N'COLUMN', @level2name = {{ column_literal }}{% endif %}
