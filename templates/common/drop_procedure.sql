DROP PROCEDURE {{ name }}
