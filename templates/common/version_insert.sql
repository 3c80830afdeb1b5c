INSERT INTO {{ table }} ({{ column }}) VALUES ({{ value }})
