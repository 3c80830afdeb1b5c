EXEC sp_rename {{ old_literal }}, {{ new_literal }}, 'OBJECT'
