{% import "_column.sql" as c %}
{% import "_constraint.sql" as k %}
CREATE TABLE {% if if_not_exists %}IF NOT EXISTS {% endif %}{{ table }} (
    {{ ((columns | each(c.column)) + (constraints | each(k.constraint))) | join_sql(",\n    ") }}
)
{%- if options.engine is defined %} ENGINE={{ options.engine }}{% endif %}
{%- if auto_increment is not none %} AUTO_INCREMENT={{ auto_increment }}{% endif %}
{%- if options.charset is defined %} DEFAULT CHARSET={{ options.charset }}{% endif %}
{%- if options.collate is defined %} COLLATE={{ options.collate }}{% endif %}
{%- if options.row_format is defined %} ROW_FORMAT={{ options.row_format }}{% endif %}
{%- if comment is not none %} COMMENT={{ comment }}{% endif %}
