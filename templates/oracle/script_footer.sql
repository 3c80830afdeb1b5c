{# Oracle does not autocommit DML (the version rows), and DDL commits only what came before it. #}
COMMIT
