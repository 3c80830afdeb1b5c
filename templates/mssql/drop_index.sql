DROP INDEX {% if if_exists %}IF EXISTS {% endif %}{{ name }} ON {{ table }}
