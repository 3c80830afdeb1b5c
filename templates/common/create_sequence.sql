CREATE SEQUENCE {{ name }}
{%- if start is not none %} START WITH {{ start }}{% endif %}
{%- if increment is not none %} INCREMENT BY {{ increment }}{% endif %}
