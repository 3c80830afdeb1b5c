RENAME TABLE {{ table }} TO {{ new_qualified }}
