{# The extended property is added, updated or dropped: sp_addextendedproperty
   fails when the property exists, and with no comment before there is nothing
   to drop (existed). The procedure takes a literal or a variable; a text with
   a line break (which sqlcmd could read as `GO`) is built in a variable first
   (dynamic). A table without a schema is in dbo, the default schema. #}
{% if text is not none or existed %}
{% if dynamic %}
DECLARE @ddlc_comment NVARCHAR(4000) = {{ text }};
{% endif %}
EXEC sp_{% if text is none %}drop{% elif existed %}update{% else %}add{% endif %}extendedproperty @name = N'MS_Description'
{%- if text is not none %}, @value = {% if dynamic %}@ddlc_comment{% else %}{{ text }}{% endif %}{% endif %}, @level0type = N'SCHEMA', @level0name = {% if schema_literal is not none %}{{ schema_literal }}{% else %}N'dbo'{% endif %}, @level1type = N'TABLE', @level1name = {{ table_literal }}
{%- if target == "column" %}, @level2type = N'COLUMN', @level2name = {{ column_literal }}{% endif %}
{% endif %}
