UPDATE {{ table }} SET {{ column }} = {{ to }} WHERE {{ column }} = {{ from }}
