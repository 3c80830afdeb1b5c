ALTER TABLE {{ table }} ADD CONSTRAINT {{ name }} DEFAULT {{ default }} FOR {{ column }}
