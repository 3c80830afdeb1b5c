{# One change per statement: action is type, set_not_null, drop_not_null, set_default or drop_default. #}
ALTER TABLE {{ table }} ALTER COLUMN {{ column }}
{%- if action == "type" %} TYPE {{ type }}{% if using is not none %} USING {{ using }}{% endif %}
{%- elif action == "set_not_null" %} SET NOT NULL
{%- elif action == "drop_not_null" %} DROP NOT NULL
{%- elif action == "set_default" %} SET DEFAULT {{ default }}
{%- elif action == "drop_default" %} DROP DEFAULT
{%- endif %}
