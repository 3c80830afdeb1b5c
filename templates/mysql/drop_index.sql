{# MariaDB's DROP INDEX takes no ALGORITHM / LOCK (MySQL 8's does): ALTER TABLE, which both take, carries them. #}
{% if algorithm is none and lock is none -%}
DROP INDEX {% if if_exists %}IF EXISTS {% endif %}{{ name }} ON {{ table }}
{%- else -%}
ALTER TABLE {{ table }} DROP INDEX {% if if_exists %}IF EXISTS {% endif %}{{ name }}
{%- if algorithm is not none %}, ALGORITHM={{ algorithm }}{% endif %}
{%- if lock is not none %}, LOCK={{ lock }}{% endif %}
{%- endif %}
