DROP VIEW {{ name }}
