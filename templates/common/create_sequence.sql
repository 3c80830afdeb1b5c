CREATE SEQUENCE {{ name }}
{%- if increment is not none %} INCREMENT BY {{ increment }}{% endif %}
{%- if start is not none %} START WITH {{ start }}{% endif %}
