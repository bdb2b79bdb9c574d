-- A pulse's result is logged under the pulse's week (the Monday it opened in), not under the
-- day the weekly schedule would have posted it: a pulse closes and reports at its own time,
-- whatever opened it. Rows written before carry the week in their payload; a row without one
-- (a day skipped because no pulse closed then, or missed) names no pulse and is dropped, so it
-- cannot stand in for a week's result.

UPDATE duty_log AS d
   SET local_date = d.payload::json ->> 'week'
 WHERE d.duty = 'pulse_result'
   AND d.payload IS NOT NULL
   AND d.payload::json ->> 'week' IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM duty_log AS o
                    WHERE o.duty = d.duty AND o.guild_id = d.guild_id
                      AND o.local_date = d.payload::json ->> 'week');

DELETE FROM duty_log
 WHERE duty = 'pulse_result'
   AND (payload IS NULL
        OR payload::json ->> 'week' IS NULL
        OR local_date <> payload::json ->> 'week');
