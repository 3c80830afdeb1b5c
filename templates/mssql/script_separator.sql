{# sqlcmd runs the batch before this line. #}
GO
