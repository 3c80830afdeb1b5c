{# How to run the script so that a failure leaves nothing half-applied: one comment line per dialect (none here). #}
