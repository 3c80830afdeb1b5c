{# The line after every statement of the script, for clients that run batches
   (SQL Server's GO, SQL*Plus's /); nothing here: `;` ends a statement. #}
