{# ENABLE VALIDATE: the rows already there are checked. #}
ALTER TABLE {{ table }} MODIFY CONSTRAINT {{ name }} ENABLE VALIDATE
