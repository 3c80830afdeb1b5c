EXEC sp_rename {{ old_literal }}, {{ new_literal }}, 'COLUMN'
