{# sp_rename takes the old name as a literal, qualified by its schema. #}
EXEC sp_rename {{ old_literal }}, {{ new_literal }}, 'OBJECT'
