{# SQL*Plus runs the statement before this line. #}
/
