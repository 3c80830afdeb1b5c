//! (being written) SQL Server and Oracle output parsed back and compared with Alembic statement by statement.
