{# The next value of sequence `seq` (quoted, qualified; `seq_literal` is it as a string
   literal) in a DEFAULT, in the form the dialect's rules name. #}
{% if form == "function" %}
nextval({{ seq_literal }})
{%- elif form == "next_value_for" %}
NEXT VALUE FOR {{ seq }}
{%- elif form == "next_value_for_parenthesized" %}
(NEXT VALUE FOR {{ seq }})
{%- else %}
{{ seq }}.NEXTVAL
{%- endif %}
