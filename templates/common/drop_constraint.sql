ALTER TABLE {{ table }} DROP CONSTRAINT {% if if_exists is defined and if_exists %}IF EXISTS {% endif %}{{ name }}
