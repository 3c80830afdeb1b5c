CREATE {% if replace %}OR REPLACE {% endif %}VIEW {{ name }} AS {{ query }}
