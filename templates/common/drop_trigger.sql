DROP TRIGGER {{ name }}
