PRAGMA {{ name }} = {{ value }}
