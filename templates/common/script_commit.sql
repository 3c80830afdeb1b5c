{# Closes the script's transaction, and the one reopened after a statement that runs outside it. #}
COMMIT
