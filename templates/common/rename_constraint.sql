ALTER TABLE {{ table }} RENAME CONSTRAINT {{ old }} TO {{ new }}
