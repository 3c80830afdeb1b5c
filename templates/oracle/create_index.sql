CREATE {% if unique %}UNIQUE {% endif %}INDEX {{ name_qualified }} ON {{ table }} ({{ parts | join_sql(", ") }})
