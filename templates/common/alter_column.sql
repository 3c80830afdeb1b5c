{# One change per statement: action is type, set_not_null, drop_not_null, set_default or drop_default.
   A type change's `using` is the migration's SQL, or `via_text`: the quoted column, cast through text
   (PostgreSQL has no cast between an enum type and another type). #}
ALTER TABLE {{ table }} ALTER COLUMN {{ column }}
{%- if action == "type" %} TYPE {{ type }}{% if using is not none %} USING {% if using.via_text is none %}{{ using.sql }}{% else %}{{ using.via_text }}::text::{{ type }}{% endif %}{% endif %}
{%- elif action == "set_not_null" %} SET NOT NULL
{%- elif action == "drop_not_null" %} DROP NOT NULL
{%- elif action == "set_default" %} SET DEFAULT {{ default }}
{%- elif action == "drop_default" %} DROP DEFAULT
{%- endif %}
