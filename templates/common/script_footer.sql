{# Nothing: transactional dialects end with COMMIT from the script itself; MySQL autocommits DML. #}
