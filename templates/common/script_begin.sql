{# Opens the script's transaction (on dialects whose DDL is transactional). #}
BEGIN
