DELETE FROM {{ table }} WHERE {{ column }} = {{ value }}
