{# WITH CHECK makes the constraint trusted again, checking every row. #}
ALTER TABLE {{ table }} WITH CHECK CHECK CONSTRAINT {{ name }}
