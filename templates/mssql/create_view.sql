{# SQL Server 2016 SP1 and later; sqlcmd runs each statement as its own batch, as CREATE VIEW must be. #}
CREATE {% if replace %}OR ALTER {% endif %}VIEW {{ name }} AS {{ query }}
