-- A pulse's result is logged under the pulse's week (the Monday it opened in), not under the
-- day the weekly schedule would have posted it: a pulse closes and reports at its own time,
-- whatever opened it. Rows written before carry the week in their payload; a row without one
-- (a day skipped because no pulse closed then, or missed) names no pulse and is dropped, so it
-- cannot stand in for a week's result.

UPDATE OR IGNORE duty_log
   SET local_date = json_extract(payload, '$.week')
 WHERE duty = 'pulse_result'
   AND json_valid(payload)
   AND json_extract(payload, '$.week') IS NOT NULL;

DELETE FROM duty_log
 WHERE duty = 'pulse_result'
   AND (payload IS NULL
        OR NOT json_valid(payload)
        OR json_extract(payload, '$.week') IS NULL
        OR local_date <> json_extract(payload, '$.week'));
