DROP SEQUENCE {{ name }}
