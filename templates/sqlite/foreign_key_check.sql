{# Before COMMIT, one statement per stage: a CHECK that fails when foreign keys were on and some row of the schemas breaks one, then cleaning up. #}
{% if stage == "create" -%}
CREATE TEMP TABLE _ddlc_foreign_key_check (violations INTEGER NOT NULL CHECK (violations = 0))
{%- elif stage == "insert" -%}
INSERT INTO _ddlc_foreign_key_check SELECT {% for s in schemas %}{% if not loop.first %} + {% endif %}(SELECT count(*) FROM {{ s }}.pragma_foreign_key_check){% endfor %} WHERE (SELECT was_on FROM _ddlc_foreign_keys)
{%- elif stage == "drop_check" -%}
DROP TABLE _ddlc_foreign_key_check
{%- else -%}
DROP TABLE _ddlc_foreign_keys
{%- endif %}
