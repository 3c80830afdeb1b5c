{# The complete definition from the schema model, so nothing is silently reset. #}
{% import "_column.sql" as c %}
ALTER TABLE {{ table }} {% if rename %}CHANGE {{ column }}{% else %}MODIFY{% endif %} {{ c.column(def) }}
