CREATE TYPE {{ name }} AS ENUM ({{ values | join_sql(", ") }})
