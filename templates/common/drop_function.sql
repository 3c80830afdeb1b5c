DROP FUNCTION {{ name }}
