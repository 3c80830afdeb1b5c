ALTER TABLE {{ table }} RENAME COLUMN {{ column }} TO {{ new_name }}
