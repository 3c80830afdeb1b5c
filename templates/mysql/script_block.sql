{# A procedural block the mysql client would otherwise send in pieces at each `;`:
   run under a delimiter of its own (one that does not occur in it). #}
DELIMITER {{ delimiter }}
{{ sql }}{{ delimiter }}
DELIMITER ;
