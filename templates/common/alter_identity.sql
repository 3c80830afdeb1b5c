{% import "_column.sql" as c %}
{# An existing column's identity (PostgreSQL): action is add, drop or set.
   `set` restates each option that differs from `old`; an option the new
   identity leaves out goes back to the sequence default. #}
ALTER TABLE {{ table }} ALTER COLUMN {{ column }}
{%- if action == "add" %} ADD {{ c.identity(identity) }}
{%- elif action == "drop" %} DROP IDENTITY
{%- else %}
{%- set i = identity %}
{%- if i.always != old.always %} SET GENERATED {% if i.always %}ALWAYS{% else %}BY DEFAULT{% endif %}{% endif %}
{%- if i.increment != old.increment %} SET INCREMENT BY {% if i.increment is not none %}{{ i.increment }}{% else %}1{% endif %}{% endif %}
{%- if i.start != old.start %} SET START WITH {% if i.start is not none %}{{ i.start }}{% else %}1{% endif %}{% endif %}
{%- if i.minvalue != old.minvalue %} SET {% if i.minvalue is not none %}MINVALUE {{ i.minvalue }}{% else %}NO MINVALUE{% endif %}{% endif %}
{%- if i.maxvalue != old.maxvalue %} SET {% if i.maxvalue is not none %}MAXVALUE {{ i.maxvalue }}{% else %}NO MAXVALUE{% endif %}{% endif %}
{%- if i.cycle != old.cycle %} SET {% if i.cycle %}CYCLE{% else %}NO CYCLE{% endif %}{% endif %}
{%- if i.cache != old.cache %} SET CACHE {% if i.cache is not none %}{{ i.cache }}{% else %}1{% endif %}{% endif %}
{%- endif %}
