{# Before the script's transaction: whether foreign keys were on, for the check before COMMIT (kept if an earlier run of the script failed, which left them off). #}
CREATE TEMP TABLE IF NOT EXISTS _ddlc_foreign_keys AS SELECT foreign_keys AS was_on FROM pragma_foreign_keys
