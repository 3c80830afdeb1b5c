ALTER TABLE {{ table }} DROP COLUMN {% if if_exists %}IF EXISTS {% endif %}{{ column }}
