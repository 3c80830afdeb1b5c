//! (being written) docs kept in step with what ddlc emits.
