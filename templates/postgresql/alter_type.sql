{# An enum type's change: action is add_value (before / after a value, or at the end), rename_value or rename. #}
ALTER TYPE {{ name }}
{%- if action == "add_value" %} ADD VALUE {{ value }}{% if before is not none %} BEFORE {{ before }}{% elif after is not none %} AFTER {{ after }}{% endif %}
{%- elif action == "rename_value" %} RENAME VALUE {{ value }} TO {{ to }}
{%- elif action == "rename" %} RENAME TO {{ to }}
{%- endif %}
