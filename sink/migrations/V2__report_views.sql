-- The report views (balai-sink): the figures of `balai report` (balai-shared's report module;
-- every definition is in ARCHITECTURE.md, "Reports") computed in SQL over the projection of V1,
-- for BI tools. On the same documents they equal the Rust reports (sink/tests/views.rs checks it).
--
-- How to read them:
-- - Each figure that depends on "today" or a period is a function `report_…_at(today, period_from,
--   period_to, …)`; the view of the same name without `_at` calls it with `current_date` (the date
--   in the session's time zone) and no period. The period is inclusive at both ends; NULL is
--   open-ended. What "in the period" means follows the reports: a forum's date, a training
--   session's date, a change's day.
-- - A region is a WHERE on `village` (`village = '18.01.05.2001'`, `village LIKE '18.01.05.%'`)
--   or on `district`, `regency`, `province` where the view has them: every per-village figure
--   depends on that village's documents only, so filtering the rows equals the report's region.
-- - A rate is two integer columns (numerator, denominator, as the reports' `Ratio`) and a
--   numeric rate column, NULL when the denominator is 0.
-- - "Held" is dated on or before today; "upcoming" is dated after today (not happened yet:
--   listed, never counted in held figures, never "missed").
-- - Documents the reports cannot read (not created, newer schema, kind mismatch, damaged, a bad
--   forum date, archived: `documents.excluded`) are left out of every figure except activity,
--   which, as `balai report activity`, counts every change of every document (a change is work
--   done even when its document cannot be shown). Their villages are still listed.
-- - Gender groups are women, men and not_recorded; not_recorded is never merged into another and
--   is in neither term of the women's share.
-- - Dusun and roles are compared by their folded key (`dusun_key`, `role_key`, folded as person
--   keys fold names) and shown in their most common spelling (trimmed) in the village's records,
--   a tie going to the first in byte order.
-- - A village's known dusun are every dusun recorded for an attendee or a participant (walk-ins
--   included) in any readable document of the village, whatever its date. (`balai report` also
--   takes dusun a caller names, `Corpus::add_known_dusun`; the CLI names none, and neither can
--   SQL: there is no village registry yet.)
--
-- Requires a UTF8 database (the trim below names Unicode white space).

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------

-- Rust's `str::trim`: strips Unicode White_Space at both ends (PostgreSQL's btrim strips spaces
-- only).
CREATE FUNCTION report_trim(t text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT btrim(t, E' \t\n\u000b\f\r\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000')
$$;
COMMENT ON FUNCTION report_trim(text) IS
    'A name trimmed as the reports trim it (Unicode white space at both ends).';

CREATE FUNCTION report_rate(numerator bigint, denominator bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN denominator > 0 THEN numerator::numeric / denominator END
$$;
COMMENT ON FUNCTION report_rate(bigint, bigint) IS
    'numerator / denominator as numeric; NULL when the denominator is 0 (a Ratio''s value).';

CREATE FUNCTION report_in_period(day date, period_from date, period_to date) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT day IS NOT NULL
       AND (period_from IS NULL OR day >= period_from)
       AND (period_to IS NULL OR day <= period_to)
$$;
COMMENT ON FUNCTION report_in_period(date, date, date) IS
    'Whether a date lies in the inclusive period (NULL ends are open; a NULL date never does).';

-- ShareCheck::women: met when women × 100 ≥ min × total (even if every not_recorded is a man),
-- below when (women + not_recorded) × 100 < min × total (even if every not_recorded is a woman),
-- otherwise undetermined (also with nobody there).
CREATE FUNCTION report_women_check(
    women bigint, not_recorded bigint, total bigint, min_women_percent integer
) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN total = 0 THEN 'undetermined'
        WHEN women * 100 >= min_women_percent::bigint * total THEN 'met'
        WHEN (women + not_recorded) * 100 < min_women_percent::bigint * total THEN 'below'
        ELSE 'undetermined'
    END
$$;
COMMENT ON FUNCTION report_women_check(bigint, bigint, bigint, integer) IS
    'The women''s-share check of a gathering: met, below or undetermined, in integers, so that '
    'attendees of unrecorded gender can neither hide nor invent a shortfall.';

-- The day of a change as the activity report places it: its time in `tz`; NULL (undated) when
-- no time was given, the time is not after 1970-01-01 00:00 UTC (automerge writes 0 for "no
-- time"), or it lies beyond the range the reports can place.
CREATE FUNCTION report_change_day(at timestamptz, tz text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN at > timestamptz '1970-01-01 00:00:00+00'
         AND at <= timestamptz '9999-12-30 22:00:00+00'
        THEN (at AT TIME ZONE tz)::date
    END
$$;
COMMENT ON FUNCTION report_change_day(timestamptz, text) IS
    'A change''s day in time zone tz; NULL when undated (no time, or not after 1970).';

-- ---------------------------------------------------------------------------------------------
-- What the reports read
-- ---------------------------------------------------------------------------------------------

CREATE VIEW report_documents AS
SELECT d.*
FROM documents d
WHERE d.excluded IS NULL
  -- A forum whose date is not a date is left out whole, as the reports leave it out.
  AND (d.kind = 'training' OR d.date IS NOT NULL);
COMMENT ON VIEW report_documents IS
    'The documents the reports read: not excluded (see documents.excluded) and, for minutes, '
    'with a valid date. Columns as in documents.';

CREATE VIEW report_villages AS
SELECT d.village, d.district, d.regency, d.province,
       count(*) AS documents,
       count(r.doc_id) AS readable_documents
FROM documents d
LEFT JOIN report_documents r ON r.doc_id = d.doc_id
GROUP BY d.village, d.district, d.regency, d.province;
COMMENT ON VIEW report_villages IS
    'Every village the reports list: those with at least one document, even an unreadable one.';
COMMENT ON COLUMN report_villages.village IS 'Village code (PP.RR.DD.VVVV).';
COMMENT ON COLUMN report_villages.district IS 'District code (PP.RR.DD).';
COMMENT ON COLUMN report_villages.regency IS 'Regency code (PP.RR).';
COMMENT ON COLUMN report_villages.province IS 'Province code (PP).';
COMMENT ON COLUMN report_villages.documents IS 'Documents of the village, readable or not.';
COMMENT ON COLUMN report_villages.readable_documents IS
    'Of those, the ones the reports read (see report_documents).';

CREATE VIEW report_known_dusun AS
WITH records AS (
    SELECT d.village, a.dusun_key, report_trim(a.dusun) AS spelling
    FROM attendees a
    JOIN report_documents d ON d.doc_id = a.doc_id
    WHERE a.dusun_key IS NOT NULL
    UNION ALL
    SELECT d.village, p.dusun_key, report_trim(p.dusun)
    FROM participants p
    JOIN report_documents d ON d.doc_id = p.doc_id
    WHERE p.dusun_key IS NOT NULL
),
spellings AS (
    SELECT village, dusun_key, spelling, count(*) AS n
    FROM records
    GROUP BY village, dusun_key, spelling
)
SELECT DISTINCT ON (village, dusun_key)
       village, dusun_key, spelling AS dusun,
       sum(n) OVER (PARTITION BY village, dusun_key)::bigint AS records
FROM spellings
ORDER BY village, dusun_key, n DESC, spelling COLLATE "C";
COMMENT ON VIEW report_known_dusun IS
    'A village''s known dusun: every dusun recorded for an attendee or a participant (walk-ins '
    'included) in any readable document of the village, whatever its date.';
COMMENT ON COLUMN report_known_dusun.village IS 'Village code.';
COMMENT ON COLUMN report_known_dusun.dusun_key IS
    'The dusun folded as the reports compare it ("Dusun  II", "dusun-ii": dusun-ii).';
COMMENT ON COLUMN report_known_dusun.dusun IS
    'Its most common spelling in the village''s records (trimmed; a tie: first in byte order).';
COMMENT ON COLUMN report_known_dusun.records IS
    'Attendee and participant records naming it, in every readable document of the village.';

CREATE VIEW report_role_names AS
WITH spellings AS (
    SELECT d.village, a.role_key, report_trim(a.role) AS spelling, count(*) AS n
    FROM attendees a
    JOIN report_documents d ON d.doc_id = a.doc_id
    WHERE a.role_key IS NOT NULL
    GROUP BY d.village, a.role_key, report_trim(a.role)
)
SELECT DISTINCT ON (village, role_key)
       village, role_key, spelling AS role,
       sum(n) OVER (PARTITION BY village, role_key)::bigint AS records
FROM spellings
ORDER BY village, role_key, n DESC, spelling COLLATE "C";
COMMENT ON VIEW report_role_names IS
    'The roles recorded for forum attendees in a village''s readable minutes, with their shown '
    'spelling.';
COMMENT ON COLUMN report_role_names.village IS 'Village code.';
COMMENT ON COLUMN report_role_names.role_key IS 'The role folded as the reports compare it.';
COMMENT ON COLUMN report_role_names.role IS
    'Its most common spelling in the village''s minutes (trimmed; a tie: first in byte order).';
COMMENT ON COLUMN report_role_names.records IS 'Attendee records naming it.';

CREATE VIEW report_training_people AS
SELECT d.doc_id, d.village, p.person_key, p.name, p.gender_group, p.dusun_key,
       NOT p.walk_in AS enrolled, true AS listed
FROM report_documents d
JOIN participants p ON p.doc_id = d.doc_id
WHERE d.kind = 'training'
UNION ALL
-- A check-in (at a session with a valid date) under a key with no participant entry, which only
-- a foreign or faulty writer makes: a walk-in of unknown gender and dusun, named by the key.
SELECT d.doc_id, d.village, c.person_key, c.person_key, 'not_recorded', NULL, false, false
FROM report_documents d
JOIN check_ins c ON c.doc_id = d.doc_id
JOIN sessions s ON s.doc_id = c.doc_id AND s.number = c.session
WHERE d.kind = 'training'
  AND s.date IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM participants p WHERE p.doc_id = c.doc_id AND p.person_key = c.person_key
  )
GROUP BY d.doc_id, d.village, c.person_key;
COMMENT ON VIEW report_training_people IS
    'The people of each readable training as the attendance report groups them.';
COMMENT ON COLUMN report_training_people.doc_id IS 'The training.';
COMMENT ON COLUMN report_training_people.village IS 'Village code.';
COMMENT ON COLUMN report_training_people.person_key IS 'The person key in the training.';
COMMENT ON COLUMN report_training_people.name IS 'Name as recorded.';
COMMENT ON COLUMN report_training_people.gender_group IS 'women, men or not_recorded.';
COMMENT ON COLUMN report_training_people.dusun_key IS 'Folded dusun; NULL: not recorded.';
COMMENT ON COLUMN report_training_people.enrolled IS
    'On the participant list and not a walk-in: the people attendance rates are computed over.';
COMMENT ON COLUMN report_training_people.listed IS
    'Has a participant entry (false: only checked in, under a key with no entry; a walk-in).';

-- ---------------------------------------------------------------------------------------------
-- (1) Attendance (`balai report attendance`): trainings with at least one session in the period
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION report_training_sessions_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, topic text, session_number integer, session_date date,
    upcoming boolean, dimension text, group_name text, dusun_key text,
    enrolled bigint, present bigint, attendance_rate numeric, walk_ins bigint
)
LANGUAGE sql STABLE
AS $$
WITH sess AS (
    SELECT t.village, t.doc_id, t.title AS topic, s.number, s.date
    FROM report_documents t
    JOIN sessions s ON s.doc_id = t.doc_id
    WHERE t.kind = 'training'
      AND report_in_period(s.date, period_from, period_to)
),
trainings AS (
    SELECT DISTINCT sess.village, sess.doc_id FROM sess
),
-- Every group a row is given: all, the three genders, every known dusun of the village, and
-- "dusun not recorded" when someone of the training has none. `group_key` '' stands for "all"
-- and for "not recorded" (no folded name is empty).
groups AS (
    SELECT t.doc_id, g.dimension, g.group_key, g.group_name
    FROM trainings t
    CROSS JOIN (VALUES
        ('all', '', NULL::text),
        ('gender', 'women', 'women'),
        ('gender', 'men', 'men'),
        ('gender', 'not_recorded', 'not_recorded')
    ) AS g (dimension, group_key, group_name)
    UNION ALL
    SELECT t.doc_id, 'dusun', k.dusun_key, k.dusun
    FROM trainings t
    JOIN report_known_dusun k ON k.village = t.village
    UNION ALL
    SELECT DISTINCT p.doc_id, 'dusun', '', NULL::text
    FROM report_training_people p
    JOIN trainings t ON t.doc_id = p.doc_id
    WHERE p.dusun_key IS NULL
),
members AS (
    SELECT p.doc_id, p.person_key, p.enrolled, m.dimension, m.group_key
    FROM report_training_people p
    JOIN trainings t ON t.doc_id = p.doc_id
    CROSS JOIN LATERAL (VALUES
        ('all', ''),
        ('gender', p.gender_group),
        ('dusun', coalesce(p.dusun_key, ''))
    ) AS m (dimension, group_key)
),
counts AS (
    SELECT sess.village, sess.doc_id, sess.topic, sess.number, sess.date,
           g.dimension, g.group_key, g.group_name,
           count(m.person_key) FILTER (WHERE m.enrolled) AS enrolled,
           count(m.person_key) FILTER (WHERE m.enrolled AND c.person_key IS NOT NULL) AS present,
           count(m.person_key) FILTER (WHERE NOT m.enrolled AND c.person_key IS NOT NULL)
               AS walk_ins
    FROM sess
    JOIN groups g ON g.doc_id = sess.doc_id
    LEFT JOIN members m
           ON m.doc_id = g.doc_id AND m.dimension = g.dimension AND m.group_key = g.group_key
    LEFT JOIN check_ins c
           ON c.doc_id = sess.doc_id AND c.session = sess.number AND c.person_key = m.person_key
    GROUP BY sess.village, sess.doc_id, sess.topic, sess.number, sess.date,
             g.dimension, g.group_key, g.group_name
)
SELECT counts.village, counts.doc_id, counts.topic, counts.number, counts.date,
       counts.date > today,
       counts.dimension, counts.group_name,
       CASE WHEN counts.dimension = 'dusun' THEN nullif(counts.group_key, '') END,
       counts.enrolled, counts.present, report_rate(counts.present, counts.enrolled),
       counts.walk_ins
FROM counts
$$;
COMMENT ON FUNCTION report_training_sessions_at(date, date, date) IS
    'report_training_sessions as of `today`, for sessions dated in the period.';

CREATE VIEW report_training_sessions AS
SELECT * FROM report_training_sessions_at(current_date);
COMMENT ON VIEW report_training_sessions IS
    'Attendance per training session (every session with a valid date, upcoming ones flagged) '
    'and group: all, each gender, each known dusun of the village (a zero row is a dusun nobody '
    'came from) and dusun not recorded. As `balai report attendance` sessions, as of '
    'current_date; report_training_sessions_at(today, period_from, period_to) for another day '
    'or a period.';
COMMENT ON COLUMN report_training_sessions.village IS 'Village code.';
COMMENT ON COLUMN report_training_sessions.doc_id IS 'The training (document id).';
COMMENT ON COLUMN report_training_sessions.topic IS 'The training''s topic.';
COMMENT ON COLUMN report_training_sessions.session_number IS 'Session number (1, 2, …).';
COMMENT ON COLUMN report_training_sessions.session_date IS 'The session''s date.';
COMMENT ON COLUMN report_training_sessions.upcoming IS
    'Dated after today: not held yet (its check-ins, if any, are still shown).';
COMMENT ON COLUMN report_training_sessions.dimension IS
    'all (everyone), gender (group_name women, men, not_recorded) or dusun.';
COMMENT ON COLUMN report_training_sessions.group_name IS
    'The gender group, or the dusun as shown (its most common spelling); NULL for dimension all '
    'and for people with no dusun recorded.';
COMMENT ON COLUMN report_training_sessions.dusun_key IS
    'For dimension dusun: the folded dusun (NULL: not recorded). NULL for other dimensions.';
COMMENT ON COLUMN report_training_sessions.enrolled IS
    'Participants on the list in the group, walk-ins excluded: the rate''s denominator.';
COMMENT ON COLUMN report_training_sessions.present IS
    'Enrolled people of the group checked in at the session (from every device, each once): the '
    'rate''s numerator.';
COMMENT ON COLUMN report_training_sessions.attendance_rate IS
    'present / enrolled; NULL when nobody of the group is enrolled.';
COMMENT ON COLUMN report_training_sessions.walk_ins IS
    'People of the group checked in who are not enrolled: present, outside the rate.';

CREATE FUNCTION report_training_attendance_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, topic text, sessions_held bigint, sessions_upcoming bigint,
    dimension text, group_name text, dusun_key text,
    enrolled bigint, reached bigint, check_ins bigint, possible_check_ins bigint,
    check_in_rate numeric, walk_ins bigint, missed_every_session bigint
)
LANGUAGE sql STABLE
AS $$
WITH sess AS (
    SELECT t.village, t.doc_id, t.title AS topic, s.number, s.date
    FROM report_documents t
    JOIN sessions s ON s.doc_id = t.doc_id
    WHERE t.kind = 'training'
      AND report_in_period(s.date, period_from, period_to)
),
trainings AS (
    SELECT sess.village, sess.doc_id, sess.topic,
           count(*) FILTER (WHERE sess.date <= today) AS sessions_held,
           count(*) FILTER (WHERE sess.date > today) AS sessions_upcoming
    FROM sess
    GROUP BY sess.village, sess.doc_id, sess.topic
),
held_check_ins AS (
    SELECT c.doc_id, c.person_key, count(*) AS attended
    FROM check_ins c
    JOIN sess ON sess.doc_id = c.doc_id AND sess.number = c.session
    WHERE sess.date <= today
    GROUP BY c.doc_id, c.person_key
),
people AS (
    SELECT p.doc_id, p.person_key, p.enrolled, p.gender_group, p.dusun_key,
           coalesce(h.attended, 0) AS attended
    FROM report_training_people p
    JOIN trainings t ON t.doc_id = p.doc_id
    LEFT JOIN held_check_ins h ON h.doc_id = p.doc_id AND h.person_key = p.person_key
),
groups AS (
    SELECT t.doc_id, g.dimension, g.group_key, g.group_name
    FROM trainings t
    CROSS JOIN (VALUES
        ('all', '', NULL::text),
        ('gender', 'women', 'women'),
        ('gender', 'men', 'men'),
        ('gender', 'not_recorded', 'not_recorded')
    ) AS g (dimension, group_key, group_name)
    UNION ALL
    SELECT t.doc_id, 'dusun', k.dusun_key, k.dusun
    FROM trainings t
    JOIN report_known_dusun k ON k.village = t.village
    UNION ALL
    SELECT DISTINCT p.doc_id, 'dusun', '', NULL::text
    FROM people p
    WHERE p.dusun_key IS NULL
),
members AS (
    SELECT p.doc_id, p.person_key, p.enrolled, p.attended, m.dimension, m.group_key
    FROM people p
    CROSS JOIN LATERAL (VALUES
        ('all', ''),
        ('gender', p.gender_group),
        ('dusun', coalesce(p.dusun_key, ''))
    ) AS m (dimension, group_key)
),
counts AS (
    SELECT t.village, t.doc_id, t.topic, t.sessions_held, t.sessions_upcoming,
           g.dimension, g.group_key, g.group_name,
           count(m.person_key) FILTER (WHERE m.enrolled) AS enrolled,
           count(m.person_key) FILTER (WHERE m.enrolled AND m.attended > 0) AS reached,
           coalesce(sum(m.attended) FILTER (WHERE m.enrolled), 0)::bigint AS check_ins,
           count(m.person_key) FILTER (WHERE NOT m.enrolled AND m.attended > 0) AS walk_ins,
           count(m.person_key) FILTER (WHERE m.enrolled AND m.attended = 0 AND t.sessions_held > 0)
               AS missed_every_session
    FROM trainings t
    JOIN groups g ON g.doc_id = t.doc_id
    LEFT JOIN members m
           ON m.doc_id = g.doc_id AND m.dimension = g.dimension AND m.group_key = g.group_key
    GROUP BY t.village, t.doc_id, t.topic, t.sessions_held, t.sessions_upcoming,
             g.dimension, g.group_key, g.group_name
)
SELECT counts.village, counts.doc_id, counts.topic, counts.sessions_held,
       counts.sessions_upcoming, counts.dimension, counts.group_name,
       CASE WHEN counts.dimension = 'dusun' THEN nullif(counts.group_key, '') END,
       counts.enrolled, counts.reached, counts.check_ins,
       counts.enrolled * counts.sessions_held,
       report_rate(counts.check_ins, counts.enrolled * counts.sessions_held),
       counts.walk_ins, counts.missed_every_session
FROM counts
$$;
COMMENT ON FUNCTION report_training_attendance_at(date, date, date) IS
    'report_training_attendance as of `today`, over the sessions dated in the period.';

CREATE VIEW report_training_attendance AS
SELECT * FROM report_training_attendance_at(current_date);
COMMENT ON VIEW report_training_attendance IS
    'Attendance per training (with at least one session in the period) and group (all, each '
    'gender, each known dusun, dusun not recorded), over its held sessions. As `balai report '
    'attendance` trainings, as of current_date; report_training_attendance_at(today, '
    'period_from, period_to) for another day or a period.';
COMMENT ON COLUMN report_training_attendance.village IS 'Village code.';
COMMENT ON COLUMN report_training_attendance.doc_id IS 'The training (document id).';
COMMENT ON COLUMN report_training_attendance.topic IS 'The training''s topic.';
COMMENT ON COLUMN report_training_attendance.sessions_held IS
    'Sessions in the period dated today or earlier: the ones that count.';
COMMENT ON COLUMN report_training_attendance.sessions_upcoming IS
    'Sessions in the period dated after today: nobody has missed them yet.';
COMMENT ON COLUMN report_training_attendance.dimension IS 'all, gender or dusun.';
COMMENT ON COLUMN report_training_attendance.group_name IS
    'The gender group, or the dusun as shown; NULL for all and for dusun not recorded.';
COMMENT ON COLUMN report_training_attendance.dusun_key IS
    'For dimension dusun: the folded dusun (NULL: not recorded).';
COMMENT ON COLUMN report_training_attendance.enrolled IS
    'Participants of the group on the list, walk-ins excluded.';
COMMENT ON COLUMN report_training_attendance.reached IS
    'Enrolled people present at one held session or more.';
COMMENT ON COLUMN report_training_attendance.check_ins IS
    'Check-ins of enrolled people at held sessions: the rate''s numerator.';
COMMENT ON COLUMN report_training_attendance.possible_check_ins IS
    'enrolled × sessions_held: the rate''s denominator.';
COMMENT ON COLUMN report_training_attendance.check_in_rate IS
    'check_ins / possible_check_ins; NULL when 0 possible.';
COMMENT ON COLUMN report_training_attendance.walk_ins IS
    'Distinct walk-ins of the group present at one held session or more (outside every rate).';
COMMENT ON COLUMN report_training_attendance.missed_every_session IS
    'Enrolled people present at none of the held sessions (0 while none is held); who they are: '
    'report_training_missed.';

CREATE FUNCTION report_training_missed_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, topic text, person_key text, name text, gender_group text,
    dusun_key text, dusun text
)
LANGUAGE sql STABLE
AS $$
WITH sess AS (
    SELECT t.village, t.doc_id, t.title AS topic, s.number, s.date
    FROM report_documents t
    JOIN sessions s ON s.doc_id = t.doc_id
    WHERE t.kind = 'training'
      AND report_in_period(s.date, period_from, period_to)
      AND s.date <= today
),
trainings AS (
    SELECT DISTINCT sess.village, sess.doc_id, sess.topic FROM sess
)
SELECT t.village, t.doc_id, t.topic, p.person_key, p.name, p.gender_group, p.dusun_key, k.dusun
FROM trainings t
JOIN report_training_people p ON p.doc_id = t.doc_id
LEFT JOIN report_known_dusun k ON k.village = t.village AND k.dusun_key = p.dusun_key
WHERE p.enrolled
  AND NOT EXISTS (
      SELECT 1
      FROM check_ins c
      JOIN sess ON sess.doc_id = c.doc_id AND sess.number = c.session
      WHERE c.doc_id = p.doc_id AND c.person_key = p.person_key
  )
$$;
COMMENT ON FUNCTION report_training_missed_at(date, date, date) IS
    'report_training_missed as of `today`, over the sessions dated in the period.';

CREATE VIEW report_training_missed AS
SELECT * FROM report_training_missed_at(current_date);
COMMENT ON VIEW report_training_missed IS
    'Enrolled people present at none of their training''s held sessions (a training with no held '
    'session has nobody here). As `balai report attendance` missed_every_session, as of '
    'current_date.';
COMMENT ON COLUMN report_training_missed.village IS 'Village code.';
COMMENT ON COLUMN report_training_missed.doc_id IS 'The training (document id).';
COMMENT ON COLUMN report_training_missed.topic IS 'The training''s topic.';
COMMENT ON COLUMN report_training_missed.person_key IS 'The person key in the training.';
COMMENT ON COLUMN report_training_missed.name IS 'Name as recorded.';
COMMENT ON COLUMN report_training_missed.gender_group IS 'women, men or not_recorded.';
COMMENT ON COLUMN report_training_missed.dusun_key IS 'Folded dusun; NULL: not recorded.';
COMMENT ON COLUMN report_training_missed.dusun IS 'The dusun as shown; NULL: not recorded.';

-- ---------------------------------------------------------------------------------------------
-- (2) and (3) Forums (`balai report forums`): per forum dated in the period
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION report_forums_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    min_women_percent integer DEFAULT 30
) RETURNS TABLE (
    village text, doc_id text, forum_date date, upcoming boolean, title text, status text,
    women bigint, men bigint, not_recorded bigint, attendees bigint,
    women_share_numerator bigint, women_share_denominator bigint, women_share numeric,
    women_check text,
    dusun_known bigint, dusun_present bigint, dusun_absent text[],
    proposals bigint, decisions bigint,
    follow_ups bigint, follow_ups_open bigint, follow_ups_in_progress bigint,
    follow_ups_done bigint, follow_ups_dropped bigint, follow_ups_unrecognised bigint,
    follow_ups_pending bigint, follow_ups_overdue bigint
)
LANGUAGE sql STABLE
AS $$
WITH forums AS (
    SELECT f.village, f.doc_id, f.date, f.title, f.status
    FROM report_documents f
    WHERE f.kind = 'minutes'
      AND report_in_period(f.date, period_from, period_to)
),
genders AS (
    SELECT a.doc_id,
           count(*) FILTER (WHERE a.gender_group = 'women') AS women,
           count(*) FILTER (WHERE a.gender_group = 'men') AS men,
           count(*) FILTER (WHERE a.gender_group = 'not_recorded') AS not_recorded
    FROM attendees a
    JOIN forums f ON f.doc_id = a.doc_id
    GROUP BY a.doc_id
),
dusun AS (
    SELECT f.doc_id,
           count(*) AS known,
           count(*) FILTER (WHERE x.present) AS present,
           array_agg(k.dusun ORDER BY k.dusun_key COLLATE "C") FILTER (WHERE NOT x.present)
               AS absent
    FROM forums f
    JOIN report_known_dusun k ON k.village = f.village
    CROSS JOIN LATERAL (
        SELECT EXISTS (
            SELECT 1 FROM attendees a WHERE a.doc_id = f.doc_id AND a.dusun_key = k.dusun_key
        ) AS present
    ) x
    GROUP BY f.doc_id
),
follow AS (
    SELECT u.doc_id,
           count(*) AS total,
           count(*) FILTER (WHERE u.state = 'open') AS open,
           count(*) FILTER (WHERE u.state = 'in_progress') AS in_progress,
           count(*) FILTER (WHERE u.state = 'done') AS done,
           count(*) FILTER (WHERE u.state = 'dropped') AS dropped,
           count(*) FILTER (WHERE u.state = 'unrecognised') AS unrecognised,
           count(*) FILTER (WHERE u.state NOT IN ('done', 'dropped')) AS pending,
           count(*) FILTER (WHERE u.state NOT IN ('done', 'dropped') AND u.due < today)
               AS overdue
    FROM follow_ups u
    JOIN forums f ON f.doc_id = u.doc_id
    GROUP BY u.doc_id
),
figures AS (
    SELECT f.village, f.doc_id, f.date, f.title, f.status,
           coalesce(g.women, 0) AS women,
           coalesce(g.men, 0) AS men,
           coalesce(g.not_recorded, 0) AS not_recorded,
           coalesce(d.known, 0) AS dusun_known,
           coalesce(d.present, 0) AS dusun_present,
           coalesce(d.absent, '{}') AS dusun_absent,
           (SELECT count(*) FROM proposals p WHERE p.doc_id = f.doc_id) AS proposals,
           (SELECT count(*) FROM decisions x WHERE x.doc_id = f.doc_id) AS decisions,
           coalesce(u.total, 0) AS follow_ups,
           coalesce(u.open, 0) AS follow_ups_open,
           coalesce(u.in_progress, 0) AS follow_ups_in_progress,
           coalesce(u.done, 0) AS follow_ups_done,
           coalesce(u.dropped, 0) AS follow_ups_dropped,
           coalesce(u.unrecognised, 0) AS follow_ups_unrecognised,
           coalesce(u.pending, 0) AS follow_ups_pending,
           coalesce(u.overdue, 0) AS follow_ups_overdue
    FROM forums f
    LEFT JOIN genders g ON g.doc_id = f.doc_id
    LEFT JOIN dusun d ON d.doc_id = f.doc_id
    LEFT JOIN follow u ON u.doc_id = f.doc_id
)
SELECT x.village, x.doc_id, x.date, x.date > today, x.title, x.status,
       x.women, x.men, x.not_recorded, x.women + x.men + x.not_recorded,
       x.women, x.women + x.men, report_rate(x.women, x.women + x.men),
       report_women_check(x.women, x.not_recorded, x.women + x.men + x.not_recorded,
                          min_women_percent),
       x.dusun_known, x.dusun_present, x.dusun_absent,
       x.proposals, x.decisions,
       x.follow_ups, x.follow_ups_open, x.follow_ups_in_progress, x.follow_ups_done,
       x.follow_ups_dropped, x.follow_ups_unrecognised, x.follow_ups_pending,
       x.follow_ups_overdue
FROM figures x
$$;
COMMENT ON FUNCTION report_forums_at(date, date, date, integer) IS
    'report_forums as of `today`, for forums dated in the period, the women''s check against '
    'min_women_percent (default 30).';

CREATE VIEW report_forums AS
SELECT * FROM report_forums_at(current_date);
COMMENT ON VIEW report_forums IS
    'One row per forum (readable minutes): attendees by gender, the women''s share and check, '
    'dusun coverage, proposals, decisions and follow-ups. As `balai report forums` forums, as of '
    'current_date, threshold 30 %; report_forums_at(today, period_from, period_to, '
    'min_women_percent) for another day, a period or a threshold.';
COMMENT ON COLUMN report_forums.village IS 'Village code.';
COMMENT ON COLUMN report_forums.doc_id IS 'The minutes (document id).';
COMMENT ON COLUMN report_forums.forum_date IS 'The forum''s date.';
COMMENT ON COLUMN report_forums.upcoming IS
    'Dated after today: not held yet; listed with its figures, left out of village sums.';
COMMENT ON COLUMN report_forums.title IS 'Title as recorded.';
COMMENT ON COLUMN report_forums.status IS 'draft or final, as recorded.';
COMMENT ON COLUMN report_forums.women IS 'Attendees recorded as women (f).';
COMMENT ON COLUMN report_forums.men IS 'Attendees recorded as men (m).';
COMMENT ON COLUMN report_forums.not_recorded IS
    'Attendees with no (or no valid) gender recorded; never merged into women or men.';
COMMENT ON COLUMN report_forums.attendees IS 'All attendees: women + men + not_recorded.';
COMMENT ON COLUMN report_forums.women_share_numerator IS 'Women.';
COMMENT ON COLUMN report_forums.women_share_denominator IS
    'Women + men (not_recorded is in neither term).';
COMMENT ON COLUMN report_forums.women_share IS
    'women / (women + men); NULL when no gender was recorded.';
COMMENT ON COLUMN report_forums.women_check IS
    'met if women × 100 ≥ threshold × attendees; below if (women + not_recorded) × 100 < '
    'threshold × attendees; otherwise (and with no attendees) undetermined.';
COMMENT ON COLUMN report_forums.dusun_known IS 'Known dusun of the village.';
COMMENT ON COLUMN report_forums.dusun_present IS 'Of those, dusun with someone at the forum.';
COMMENT ON COLUMN report_forums.dusun_absent IS
    'Known dusun with nobody at the forum, as shown, in folded order.';
COMMENT ON COLUMN report_forums.proposals IS 'Proposals (report_forum_proposals: by support).';
COMMENT ON COLUMN report_forums.decisions IS 'Decisions.';
COMMENT ON COLUMN report_forums.follow_ups IS 'Follow-ups (the five states add up to this).';
COMMENT ON COLUMN report_forums.follow_ups_open IS 'Follow-ups with status open.';
COMMENT ON COLUMN report_forums.follow_ups_in_progress IS 'Follow-ups with status in-progress.';
COMMENT ON COLUMN report_forums.follow_ups_done IS 'Follow-ups with status done.';
COMMENT ON COLUMN report_forums.follow_ups_dropped IS 'Follow-ups with status dropped.';
COMMENT ON COLUMN report_forums.follow_ups_unrecognised IS
    'Follow-ups whose status is none of the four, or missing (counted as pending).';
COMMENT ON COLUMN report_forums.follow_ups_pending IS 'Follow-ups neither done nor dropped.';
COMMENT ON COLUMN report_forums.follow_ups_overdue IS
    'Pending follow-ups due strictly before today (no or an invalid due date: never overdue).';

CREATE FUNCTION report_forum_dusun_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, forum_date date, upcoming boolean, dusun_key text, dusun text,
    women bigint, men bigint, not_recorded bigint, attendees bigint, absent boolean
)
LANGUAGE sql STABLE
AS $$
WITH forums AS (
    SELECT f.village, f.doc_id, f.date
    FROM report_documents f
    WHERE f.kind = 'minutes'
      AND report_in_period(f.date, period_from, period_to)
),
groups AS (
    SELECT f.village, f.doc_id, f.date, k.dusun_key, k.dusun
    FROM forums f
    JOIN report_known_dusun k ON k.village = f.village
    UNION ALL
    SELECT DISTINCT f.village, f.doc_id, f.date, NULL::text, NULL::text
    FROM forums f
    JOIN attendees a ON a.doc_id = f.doc_id
    WHERE a.dusun_key IS NULL
),
counts AS (
    SELECT g.village, g.doc_id, g.date, g.dusun_key, g.dusun,
           count(a.person_key) FILTER (WHERE a.gender_group = 'women') AS women,
           count(a.person_key) FILTER (WHERE a.gender_group = 'men') AS men,
           count(a.person_key) FILTER (WHERE a.gender_group = 'not_recorded') AS not_recorded,
           count(a.person_key) AS attendees
    FROM groups g
    LEFT JOIN attendees a
           ON a.doc_id = g.doc_id AND a.dusun_key IS NOT DISTINCT FROM g.dusun_key
    GROUP BY g.village, g.doc_id, g.date, g.dusun_key, g.dusun
)
SELECT c.village, c.doc_id, c.date, c.date > today, c.dusun_key, c.dusun,
       c.women, c.men, c.not_recorded, c.attendees,
       c.dusun_key IS NOT NULL AND c.attendees = 0
FROM counts c
$$;
COMMENT ON FUNCTION report_forum_dusun_at(date, date, date) IS
    'report_forum_dusun as of `today`, for forums dated in the period.';

CREATE VIEW report_forum_dusun AS
SELECT * FROM report_forum_dusun_at(current_date);
COMMENT ON VIEW report_forum_dusun IS
    'Attendees of each forum by dusun: a row for every known dusun of the village (a zero row, '
    'absent, is a dusun nobody came from), then one for attendees with no dusun recorded if '
    'there are any. As `balai report forums` by_dusun.';
COMMENT ON COLUMN report_forum_dusun.village IS 'Village code.';
COMMENT ON COLUMN report_forum_dusun.doc_id IS 'The minutes (document id).';
COMMENT ON COLUMN report_forum_dusun.forum_date IS 'The forum''s date.';
COMMENT ON COLUMN report_forum_dusun.upcoming IS 'Dated after today: not held yet.';
COMMENT ON COLUMN report_forum_dusun.dusun_key IS 'Folded dusun; NULL: not recorded.';
COMMENT ON COLUMN report_forum_dusun.dusun IS 'The dusun as shown; NULL: not recorded.';
COMMENT ON COLUMN report_forum_dusun.women IS 'Attendees from the dusun recorded as women.';
COMMENT ON COLUMN report_forum_dusun.men IS 'Attendees from the dusun recorded as men.';
COMMENT ON COLUMN report_forum_dusun.not_recorded IS
    'Attendees from the dusun with no gender recorded.';
COMMENT ON COLUMN report_forum_dusun.attendees IS 'All attendees from the dusun.';
COMMENT ON COLUMN report_forum_dusun.absent IS 'A known dusun with nobody at the forum.';

CREATE FUNCTION report_forum_roles_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, forum_date date, upcoming boolean, role_key text, role text,
    women bigint, men bigint, not_recorded bigint, attendees bigint
)
LANGUAGE sql STABLE
AS $$
SELECT f.village, f.doc_id, f.date, f.date > today, a.role_key, r.role,
       count(*) FILTER (WHERE a.gender_group = 'women'),
       count(*) FILTER (WHERE a.gender_group = 'men'),
       count(*) FILTER (WHERE a.gender_group = 'not_recorded'),
       count(*)
FROM report_documents f
JOIN attendees a ON a.doc_id = f.doc_id
LEFT JOIN report_role_names r ON r.village = f.village AND r.role_key = a.role_key
WHERE f.kind = 'minutes'
  AND report_in_period(f.date, period_from, period_to)
GROUP BY f.village, f.doc_id, f.date, a.role_key, r.role
$$;
COMMENT ON FUNCTION report_forum_roles_at(date, date, date) IS
    'report_forum_roles as of `today`, for forums dated in the period.';

CREATE VIEW report_forum_roles AS
SELECT * FROM report_forum_roles_at(current_date);
COMMENT ON VIEW report_forum_roles IS
    'Attendees of each forum by role as recorded (one row per role present, and one for '
    'attendees with no role). As `balai report forums` by_role.';
COMMENT ON COLUMN report_forum_roles.village IS 'Village code.';
COMMENT ON COLUMN report_forum_roles.doc_id IS 'The minutes (document id).';
COMMENT ON COLUMN report_forum_roles.forum_date IS 'The forum''s date.';
COMMENT ON COLUMN report_forum_roles.upcoming IS 'Dated after today: not held yet.';
COMMENT ON COLUMN report_forum_roles.role_key IS 'Folded role; NULL: none recorded.';
COMMENT ON COLUMN report_forum_roles.role IS
    'The role as shown (most common spelling in the village); NULL: none recorded.';
COMMENT ON COLUMN report_forum_roles.women IS 'Attendees with the role recorded as women.';
COMMENT ON COLUMN report_forum_roles.men IS 'Attendees with the role recorded as men.';
COMMENT ON COLUMN report_forum_roles.not_recorded IS
    'Attendees with the role with no gender recorded.';
COMMENT ON COLUMN report_forum_roles.attendees IS 'All attendees with the role.';

CREATE FUNCTION report_forum_proposals_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, forum_date date, upcoming boolean, proposal_key text, text text,
    raised_by text, priority text, support bigint, rank bigint
)
LANGUAGE sql STABLE
AS $$
SELECT f.village, f.doc_id, f.date, f.date > today, p.proposal_key, p.text, p.raised_by,
       p.priority, p.support,
       row_number() OVER (
           PARTITION BY p.doc_id
           ORDER BY p.support DESC, p.text COLLATE "C", p.proposal_key COLLATE "C"
       )
FROM report_documents f
JOIN proposals p ON p.doc_id = f.doc_id
WHERE f.kind = 'minutes'
  AND report_in_period(f.date, period_from, period_to)
$$;
COMMENT ON FUNCTION report_forum_proposals_at(date, date, date) IS
    'report_forum_proposals as of `today`, for forums dated in the period.';

CREATE VIEW report_forum_proposals AS
SELECT * FROM report_forum_proposals_at(current_date);
COMMENT ON VIEW report_forum_proposals IS
    'Each forum''s proposals with their support. As `balai report forums` proposals.';
COMMENT ON COLUMN report_forum_proposals.village IS 'Village code.';
COMMENT ON COLUMN report_forum_proposals.doc_id IS 'The minutes (document id).';
COMMENT ON COLUMN report_forum_proposals.forum_date IS 'The forum''s date.';
COMMENT ON COLUMN report_forum_proposals.upcoming IS 'Dated after today: not held yet.';
COMMENT ON COLUMN report_forum_proposals.proposal_key IS 'The proposal''s key.';
COMMENT ON COLUMN report_forum_proposals.text IS 'The proposal as recorded.';
COMMENT ON COLUMN report_forum_proposals.raised_by IS 'Who raised it, as recorded.';
COMMENT ON COLUMN report_forum_proposals.priority IS 'Priority, as recorded.';
COMMENT ON COLUMN report_forum_proposals.support IS
    'Supporters: the merged counter, every device''s increments added.';
COMMENT ON COLUMN report_forum_proposals.rank IS
    'Order within the forum: most support first, then text, then key (byte order).';

CREATE FUNCTION report_follow_ups_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, doc_id text, forum_date date, forum_upcoming boolean, follow_up_key text,
    what text, who text, due date, due_text text, status text, state text,
    pending boolean, overdue boolean
)
LANGUAGE sql STABLE
AS $$
SELECT f.village, f.doc_id, f.date, f.date > today, u.follow_up_key, u.what, u.who, u.due,
       u.due_text, u.status, u.state,
       u.state NOT IN ('done', 'dropped'),
       u.state NOT IN ('done', 'dropped') AND u.due IS NOT NULL AND u.due < today
FROM report_documents f
JOIN follow_ups u ON u.doc_id = f.doc_id
WHERE f.kind = 'minutes'
  AND report_in_period(f.date, period_from, period_to)
$$;
COMMENT ON FUNCTION report_follow_ups_at(date, date, date) IS
    'report_follow_ups as of `today`, for forums dated in the period.';

CREATE VIEW report_follow_ups AS
SELECT * FROM report_follow_ups_at(current_date);
COMMENT ON VIEW report_follow_ups IS
    'Every follow-up of every forum, with whether it is pending and overdue as of current_date '
    '(open and overdue follow-ups: WHERE pending / WHERE overdue). As `balai report forums` '
    'follow_ups; per village, report_district counts those of held forums.';
COMMENT ON COLUMN report_follow_ups.village IS 'Village code.';
COMMENT ON COLUMN report_follow_ups.doc_id IS 'The minutes (document id).';
COMMENT ON COLUMN report_follow_ups.forum_date IS 'The forum''s date.';
COMMENT ON COLUMN report_follow_ups.forum_upcoming IS
    'The forum is dated after today (not held yet; report_district leaves its follow-ups out).';
COMMENT ON COLUMN report_follow_ups.follow_up_key IS 'The follow-up''s key.';
COMMENT ON COLUMN report_follow_ups.what IS 'What is to be done, as recorded.';
COMMENT ON COLUMN report_follow_ups.who IS 'Who is to do it, as recorded.';
COMMENT ON COLUMN report_follow_ups.due IS 'Due date; NULL when not set or not a valid date.';
COMMENT ON COLUMN report_follow_ups.due_text IS 'The due date as recorded.';
COMMENT ON COLUMN report_follow_ups.status IS 'The status as recorded.';
COMMENT ON COLUMN report_follow_ups.state IS
    'open, in_progress, done, dropped, or unrecognised (any other status, or none).';
COMMENT ON COLUMN report_follow_ups.pending IS 'Neither done nor dropped.';
COMMENT ON COLUMN report_follow_ups.overdue IS
    'Pending and due strictly before today (no valid due date: never overdue).';

CREATE FUNCTION report_village_forums_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL
) RETURNS TABLE (
    village text, district text, regency text, province text,
    forums bigint, forums_held bigint, forums_upcoming bigint,
    women bigint, men bigint, not_recorded bigint, attendees bigint,
    women_share_numerator bigint, women_share_denominator bigint, women_share numeric,
    dusun_known bigint, dusun_reached bigint, dusun_coverage numeric,
    known_dusun text[], dusun_not_reached text[]
)
LANGUAGE sql STABLE
AS $$
WITH forums AS (
    SELECT f.village, f.doc_id, f.date <= today AS held
    FROM report_documents f
    WHERE f.kind = 'minutes'
      AND report_in_period(f.date, period_from, period_to)
),
counts AS (
    SELECT f.village,
           count(*) AS forums,
           count(*) FILTER (WHERE f.held) AS forums_held,
           count(*) FILTER (WHERE NOT f.held) AS forums_upcoming,
           coalesce(sum(g.women) FILTER (WHERE f.held), 0)::bigint AS women,
           coalesce(sum(g.men) FILTER (WHERE f.held), 0)::bigint AS men,
           coalesce(sum(g.not_recorded) FILTER (WHERE f.held), 0)::bigint AS not_recorded
    FROM forums f
    LEFT JOIN (
        SELECT a.doc_id,
               count(*) FILTER (WHERE a.gender_group = 'women') AS women,
               count(*) FILTER (WHERE a.gender_group = 'men') AS men,
               count(*) FILTER (WHERE a.gender_group = 'not_recorded') AS not_recorded
        FROM attendees a
        GROUP BY a.doc_id
    ) g ON g.doc_id = f.doc_id
    GROUP BY f.village
),
dusun AS (
    SELECT k.village,
           count(*) AS known,
           count(*) FILTER (WHERE x.reached) AS reached,
           array_agg(k.dusun ORDER BY k.dusun_key COLLATE "C") AS names,
           array_agg(k.dusun ORDER BY k.dusun_key COLLATE "C") FILTER (WHERE NOT x.reached)
               AS not_reached
    FROM report_known_dusun k
    CROSS JOIN LATERAL (
        SELECT EXISTS (
            SELECT 1
            FROM forums f
            JOIN attendees a ON a.doc_id = f.doc_id
            WHERE f.village = k.village AND f.held AND a.dusun_key = k.dusun_key
        ) AS reached
    ) x
    GROUP BY k.village
)
SELECT v.village, v.district, v.regency, v.province,
       coalesce(c.forums, 0), coalesce(c.forums_held, 0), coalesce(c.forums_upcoming, 0),
       coalesce(c.women, 0), coalesce(c.men, 0), coalesce(c.not_recorded, 0),
       coalesce(c.women + c.men + c.not_recorded, 0),
       coalesce(c.women, 0), coalesce(c.women + c.men, 0), report_rate(c.women, c.women + c.men),
       coalesce(d.known, 0), coalesce(d.reached, 0), report_rate(d.reached, d.known),
       coalesce(d.names, '{}'), coalesce(d.not_reached, '{}')
FROM report_villages v
LEFT JOIN counts c ON c.village = v.village
LEFT JOIN dusun d ON d.village = v.village
$$;
COMMENT ON FUNCTION report_village_forums_at(date, date, date) IS
    'report_village_forums as of `today`, for forums dated in the period.';

CREATE VIEW report_village_forums AS
SELECT * FROM report_village_forums_at(current_date);
COMMENT ON VIEW report_village_forums IS
    'Per village (every village with a document), its forums in the period, attendances summed '
    'over the held ones, and the known dusun no held forum reached. As `balai report forums` '
    'villages, as of current_date; report_village_forums_at(today, period_from, period_to) for '
    'another day or a period.';
COMMENT ON COLUMN report_village_forums.village IS 'Village code.';
COMMENT ON COLUMN report_village_forums.district IS 'District code.';
COMMENT ON COLUMN report_village_forums.regency IS 'Regency code.';
COMMENT ON COLUMN report_village_forums.province IS 'Province code.';
COMMENT ON COLUMN report_village_forums.forums IS 'Forums dated in the period, upcoming included.';
COMMENT ON COLUMN report_village_forums.forums_held IS 'Of those, dated today or earlier.';
COMMENT ON COLUMN report_village_forums.forums_upcoming IS 'Of those, dated after today.';
COMMENT ON COLUMN report_village_forums.women IS
    'Women''s attendances at the held forums (someone at two forums counts twice).';
COMMENT ON COLUMN report_village_forums.men IS 'Men''s attendances at the held forums.';
COMMENT ON COLUMN report_village_forums.not_recorded IS
    'Attendances at the held forums with no gender recorded.';
COMMENT ON COLUMN report_village_forums.attendees IS 'All attendances at the held forums.';
COMMENT ON COLUMN report_village_forums.women_share_numerator IS 'women.';
COMMENT ON COLUMN report_village_forums.women_share_denominator IS 'women + men.';
COMMENT ON COLUMN report_village_forums.women_share IS
    'women / (women + men); NULL when no gender was recorded.';
COMMENT ON COLUMN report_village_forums.dusun_known IS 'Known dusun of the village.';
COMMENT ON COLUMN report_village_forums.dusun_reached IS
    'Known dusun with someone at a held forum in the period.';
COMMENT ON COLUMN report_village_forums.dusun_coverage IS
    'dusun_reached / dusun_known; NULL with no known dusun.';
COMMENT ON COLUMN report_village_forums.known_dusun IS 'The known dusun as shown, folded order.';
COMMENT ON COLUMN report_village_forums.dusun_not_reached IS
    'Known dusun with nobody at any held forum in the period (all of them with none held).';

-- ---------------------------------------------------------------------------------------------
-- District summary (`balai report district`): per village
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION report_district_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    stale_months integer DEFAULT 3
) RETURNS TABLE (
    village text, district text, regency text, province text,
    forums_held bigint, trainings_held bigint, sessions_held bigint,
    forum_women bigint, forum_men bigint, forum_not_recorded bigint,
    check_in_women bigint, check_in_men bigint, check_in_not_recorded bigint,
    attendance_total bigint,
    women_share_numerator bigint, women_share_denominator bigint, women_share numeric,
    dusun_known bigint, dusun_reached bigint, dusun_coverage numeric, dusun_not_reached text[],
    follow_ups_pending bigint, follow_ups_overdue bigint,
    last_forum date, last_activity date, stale_before date, stale boolean
)
LANGUAGE sql STABLE
AS $$
WITH forums AS (
    SELECT f.village, f.doc_id
    FROM report_documents f
    WHERE f.kind = 'minutes'
      AND f.date <= today
      AND report_in_period(f.date, period_from, period_to)
),
held_sessions AS (
    SELECT t.village, s.doc_id, s.number
    FROM report_documents t
    JOIN sessions s ON s.doc_id = t.doc_id
    WHERE t.kind = 'training'
      AND s.date <= today
      AND report_in_period(s.date, period_from, period_to)
),
forum_counts AS (
    SELECT f.village,
           count(DISTINCT f.doc_id) AS forums_held,
           count(a.person_key) FILTER (WHERE a.gender_group = 'women') AS women,
           count(a.person_key) FILTER (WHERE a.gender_group = 'men') AS men,
           count(a.person_key) FILTER (WHERE a.gender_group = 'not_recorded') AS not_recorded
    FROM forums f
    LEFT JOIN attendees a ON a.doc_id = f.doc_id
    GROUP BY f.village
),
-- Check-ins at held sessions, walk-ins included; a key with no participant entry has no gender.
check_ins_held AS (
    SELECT s.village, s.doc_id, s.number, coalesce(p.gender_group, 'not_recorded') AS gender_group,
           p.dusun_key
    FROM held_sessions s
    JOIN check_ins c ON c.doc_id = s.doc_id AND c.session = s.number
    LEFT JOIN participants p ON p.doc_id = c.doc_id AND p.person_key = c.person_key
),
training_counts AS (
    SELECT s.village,
           count(DISTINCT s.doc_id) AS trainings_held,
           count(*) AS sessions_held
    FROM held_sessions s
    GROUP BY s.village
),
check_in_counts AS (
    SELECT c.village,
           count(*) FILTER (WHERE c.gender_group = 'women') AS women,
           count(*) FILTER (WHERE c.gender_group = 'men') AS men,
           count(*) FILTER (WHERE c.gender_group = 'not_recorded') AS not_recorded
    FROM check_ins_held c
    GROUP BY c.village
),
reached AS (
    SELECT f.village, a.dusun_key
    FROM forums f
    JOIN attendees a ON a.doc_id = f.doc_id
    WHERE a.dusun_key IS NOT NULL
    UNION
    SELECT c.village, c.dusun_key
    FROM check_ins_held c
    WHERE c.dusun_key IS NOT NULL
),
dusun AS (
    SELECT k.village,
           count(*) AS known,
           count(r.dusun_key) AS reached,
           array_agg(k.dusun ORDER BY k.dusun_key COLLATE "C") FILTER (WHERE r.dusun_key IS NULL)
               AS not_reached
    FROM report_known_dusun k
    LEFT JOIN reached r ON r.village = k.village AND r.dusun_key = k.dusun_key
    GROUP BY k.village
),
follow AS (
    SELECT f.village,
           count(*) FILTER (WHERE u.state NOT IN ('done', 'dropped')) AS pending,
           count(*) FILTER (WHERE u.state NOT IN ('done', 'dropped') AND u.due < today)
               AS overdue
    FROM forums f
    JOIN follow_ups u ON u.doc_id = f.doc_id
    GROUP BY f.village
),
-- The last dates look at every period.
last AS (
    SELECT x.village, max(x.date) FILTER (WHERE x.forum) AS last_forum, max(x.date) AS last_activity
    FROM (
        SELECT f.village, f.date, true AS forum
        FROM report_documents f
        WHERE f.kind = 'minutes' AND f.date <= today
        UNION ALL
        SELECT t.village, s.date, false
        FROM report_documents t
        JOIN sessions s ON s.doc_id = t.doc_id
        WHERE t.kind = 'training' AND s.date <= today AND s.present > 0
    ) x
    GROUP BY x.village
),
figures AS (
    SELECT v.village, v.district, v.regency, v.province,
           coalesce(fc.forums_held, 0) AS forums_held,
           coalesce(tc.trainings_held, 0) AS trainings_held,
           coalesce(tc.sessions_held, 0) AS sessions_held,
           coalesce(fc.women, 0) AS forum_women,
           coalesce(fc.men, 0) AS forum_men,
           coalesce(fc.not_recorded, 0) AS forum_not_recorded,
           coalesce(cc.women, 0) AS check_in_women,
           coalesce(cc.men, 0) AS check_in_men,
           coalesce(cc.not_recorded, 0) AS check_in_not_recorded,
           coalesce(d.known, 0) AS dusun_known,
           coalesce(d.reached, 0) AS dusun_reached,
           coalesce(d.not_reached, '{}') AS dusun_not_reached,
           coalesce(u.pending, 0) AS follow_ups_pending,
           coalesce(u.overdue, 0) AS follow_ups_overdue,
           l.last_forum, l.last_activity,
           (today - make_interval(months => stale_months))::date AS stale_before
    FROM report_villages v
    LEFT JOIN forum_counts fc ON fc.village = v.village
    LEFT JOIN training_counts tc ON tc.village = v.village
    LEFT JOIN check_in_counts cc ON cc.village = v.village
    LEFT JOIN dusun d ON d.village = v.village
    LEFT JOIN follow u ON u.village = v.village
    LEFT JOIN last l ON l.village = v.village
)
SELECT x.village, x.district, x.regency, x.province,
       x.forums_held, x.trainings_held, x.sessions_held,
       x.forum_women, x.forum_men, x.forum_not_recorded,
       x.check_in_women, x.check_in_men, x.check_in_not_recorded,
       x.forum_women + x.forum_men + x.forum_not_recorded
           + x.check_in_women + x.check_in_men + x.check_in_not_recorded,
       x.forum_women + x.check_in_women,
       x.forum_women + x.check_in_women + x.forum_men + x.check_in_men,
       report_rate(x.forum_women + x.check_in_women,
                   x.forum_women + x.check_in_women + x.forum_men + x.check_in_men),
       x.dusun_known, x.dusun_reached, report_rate(x.dusun_reached, x.dusun_known),
       x.dusun_not_reached,
       x.follow_ups_pending, x.follow_ups_overdue,
       x.last_forum, x.last_activity, x.stale_before,
       x.last_forum IS NULL OR x.last_forum < x.stale_before
FROM figures x
$$;
COMMENT ON FUNCTION report_district_at(date, date, date, integer) IS
    'report_district as of `today`, for forums and sessions dated in the period, stale after '
    'stale_months (default 3) without a forum.';

CREATE VIEW report_district AS
SELECT * FROM report_district_at(current_date);
COMMENT ON VIEW report_district IS
    'Per village (every village with a document): forums and trainings held, attendance by '
    'gender, the women''s share, dusun coverage, follow-ups, last activity and staleness. As '
    '`balai report district` villages, as of current_date, stale after 3 months; '
    'report_district_at(today, period_from, period_to, stale_months) for another day, a period '
    'or another staleness. Totals: report_district_totals.';
COMMENT ON COLUMN report_district.village IS 'Village code.';
COMMENT ON COLUMN report_district.district IS 'District code.';
COMMENT ON COLUMN report_district.regency IS 'Regency code.';
COMMENT ON COLUMN report_district.province IS 'Province code.';
COMMENT ON COLUMN report_district.forums_held IS 'Forums dated in the period, today or earlier.';
COMMENT ON COLUMN report_district.trainings_held IS 'Trainings with a held session.';
COMMENT ON COLUMN report_district.sessions_held IS
    'Training sessions dated in the period, today or earlier.';
COMMENT ON COLUMN report_district.forum_women IS
    'Women''s attendances at the held forums (someone at two forums counts twice).';
COMMENT ON COLUMN report_district.forum_men IS 'Men''s attendances at the held forums.';
COMMENT ON COLUMN report_district.forum_not_recorded IS
    'Attendances at the held forums with no gender recorded.';
COMMENT ON COLUMN report_district.check_in_women IS
    'Check-ins of women at the held sessions, walk-ins included.';
COMMENT ON COLUMN report_district.check_in_men IS 'Check-ins of men at the held sessions.';
COMMENT ON COLUMN report_district.check_in_not_recorded IS
    'Check-ins at the held sessions with no gender recorded.';
COMMENT ON COLUMN report_district.attendance_total IS 'Forum attendances plus check-ins.';
COMMENT ON COLUMN report_district.women_share_numerator IS 'forum_women + check_in_women.';
COMMENT ON COLUMN report_district.women_share_denominator IS
    'Women and men of forum attendances and check-ins together.';
COMMENT ON COLUMN report_district.women_share IS
    'Women''s share of forum attendances and check-ins together; NULL when none recorded.';
COMMENT ON COLUMN report_district.dusun_known IS 'Known dusun of the village.';
COMMENT ON COLUMN report_district.dusun_reached IS
    'Known dusun with someone at a held forum or session in the period.';
COMMENT ON COLUMN report_district.dusun_coverage IS 'dusun_reached / dusun_known.';
COMMENT ON COLUMN report_district.dusun_not_reached IS
    'Known dusun with nobody at any held forum or session, as shown, folded order.';
COMMENT ON COLUMN report_district.follow_ups_pending IS
    'Follow-ups of the held forums neither done nor dropped.';
COMMENT ON COLUMN report_district.follow_ups_overdue IS
    'Of those, due strictly before today.';
COMMENT ON COLUMN report_district.last_forum IS
    'The latest forum dated today or earlier, in any period.';
COMMENT ON COLUMN report_district.last_activity IS
    'The latest forum, or session with a check-in, dated today or earlier, in any period.';
COMMENT ON COLUMN report_district.stale_before IS
    'today − stale_months (the day clamped: 31 May − 3 months = 28 Feb).';
COMMENT ON COLUMN report_district.stale IS 'No forum from stale_before to today.';

CREATE FUNCTION report_district_totals_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    stale_months integer DEFAULT 3
) RETURNS TABLE (
    villages bigint, stale_villages bigint,
    forums_held bigint, trainings_held bigint, sessions_held bigint,
    forum_women bigint, forum_men bigint, forum_not_recorded bigint,
    check_in_women bigint, check_in_men bigint, check_in_not_recorded bigint,
    women_share_numerator bigint, women_share_denominator bigint, women_share numeric,
    dusun_known bigint, dusun_reached bigint, dusun_coverage numeric,
    follow_ups_pending bigint, follow_ups_overdue bigint
)
LANGUAGE sql STABLE
AS $$
WITH t AS (
    SELECT count(*) AS villages,
           count(*) FILTER (WHERE d.stale) AS stale_villages,
           coalesce(sum(d.forums_held), 0)::bigint AS forums_held,
           coalesce(sum(d.trainings_held), 0)::bigint AS trainings_held,
           coalesce(sum(d.sessions_held), 0)::bigint AS sessions_held,
           coalesce(sum(d.forum_women), 0)::bigint AS forum_women,
           coalesce(sum(d.forum_men), 0)::bigint AS forum_men,
           coalesce(sum(d.forum_not_recorded), 0)::bigint AS forum_not_recorded,
           coalesce(sum(d.check_in_women), 0)::bigint AS check_in_women,
           coalesce(sum(d.check_in_men), 0)::bigint AS check_in_men,
           coalesce(sum(d.check_in_not_recorded), 0)::bigint AS check_in_not_recorded,
           coalesce(sum(d.women_share_numerator), 0)::bigint AS women_num,
           coalesce(sum(d.women_share_denominator), 0)::bigint AS women_den,
           coalesce(sum(d.dusun_known), 0)::bigint AS dusun_known,
           coalesce(sum(d.dusun_reached), 0)::bigint AS dusun_reached,
           coalesce(sum(d.follow_ups_pending), 0)::bigint AS follow_ups_pending,
           coalesce(sum(d.follow_ups_overdue), 0)::bigint AS follow_ups_overdue
    FROM report_district_at(today, period_from, period_to, stale_months) d
)
SELECT t.villages, t.stale_villages, t.forums_held, t.trainings_held, t.sessions_held,
       t.forum_women, t.forum_men, t.forum_not_recorded,
       t.check_in_women, t.check_in_men, t.check_in_not_recorded,
       t.women_num, t.women_den, report_rate(t.women_num, t.women_den),
       t.dusun_known, t.dusun_reached, report_rate(t.dusun_reached, t.dusun_known),
       t.follow_ups_pending, t.follow_ups_overdue
FROM t
$$;
COMMENT ON FUNCTION report_district_totals_at(date, date, date, integer) IS
    'report_district_totals as of `today`; for a region, sum report_district_at with a WHERE.';

CREATE VIEW report_district_totals AS
SELECT * FROM report_district_totals_at(current_date);
COMMENT ON VIEW report_district_totals IS
    'report_district added up over every village (`balai report district` totals): counts are '
    'sums, and the rates come from the summed counts. For one region, sum report_district''s '
    'columns with a WHERE on village, district, regency or province.';
COMMENT ON COLUMN report_district_totals.villages IS 'Villages listed.';
COMMENT ON COLUMN report_district_totals.stale_villages IS 'Of those, stale.';
COMMENT ON COLUMN report_district_totals.forums_held IS 'Sum of report_district.forums_held.';
COMMENT ON COLUMN report_district_totals.trainings_held IS 'Sum of trainings_held.';
COMMENT ON COLUMN report_district_totals.sessions_held IS 'Sum of sessions_held.';
COMMENT ON COLUMN report_district_totals.forum_women IS 'Sum of forum_women.';
COMMENT ON COLUMN report_district_totals.forum_men IS 'Sum of forum_men.';
COMMENT ON COLUMN report_district_totals.forum_not_recorded IS 'Sum of forum_not_recorded.';
COMMENT ON COLUMN report_district_totals.check_in_women IS 'Sum of check_in_women.';
COMMENT ON COLUMN report_district_totals.check_in_men IS 'Sum of check_in_men.';
COMMENT ON COLUMN report_district_totals.check_in_not_recorded IS
    'Sum of check_in_not_recorded.';
COMMENT ON COLUMN report_district_totals.women_share_numerator IS 'Women, summed.';
COMMENT ON COLUMN report_district_totals.women_share_denominator IS 'Women + men, summed.';
COMMENT ON COLUMN report_district_totals.women_share IS 'From the summed counts.';
COMMENT ON COLUMN report_district_totals.dusun_known IS 'Known dusun of every village.';
COMMENT ON COLUMN report_district_totals.dusun_reached IS 'Reached dusun of every village.';
COMMENT ON COLUMN report_district_totals.dusun_coverage IS 'dusun_reached / dusun_known.';
COMMENT ON COLUMN report_district_totals.follow_ups_pending IS 'Sum of follow_ups_pending.';
COMMENT ON COLUMN report_district_totals.follow_ups_overdue IS 'Sum of follow_ups_overdue.';

-- ---------------------------------------------------------------------------------------------
-- (4) Activity (`balai report activity`): every change of every document, readable or not
-- ---------------------------------------------------------------------------------------------
-- A change is one unit and its actor is the device; a change with no dependencies (a document's
-- first) is a record, every other an edit (changes.record). A change's day is its time in the
-- time zone `tz` (default: the session's, SET TIME ZONE). Undated changes (no time, or not after
-- 1970) are in no week or month; report_activity_devices counts them. Documents are in one
-- village each, so the per-village rows add up over a region exactly, distinct documents too.

CREATE FUNCTION report_activity_monthly_at(
    period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    tz text DEFAULT current_setting('TimeZone')
) RETURNS TABLE (
    village text, district text, regency text, province text, month date, month_label text,
    records bigint, edits bigint, documents bigint, devices bigint
)
LANGUAGE sql STABLE
AS $$
SELECT d.village, d.district, d.regency, d.province,
       date_trunc('month', x.day)::date,
       to_char(x.day, 'YYYY-MM'),
       count(*) FILTER (WHERE c.record),
       count(*) FILTER (WHERE NOT c.record),
       count(DISTINCT c.doc_id),
       count(DISTINCT c.actor)
FROM changes c
JOIN documents d ON d.doc_id = c.doc_id
CROSS JOIN LATERAL (SELECT report_change_day(c.at, tz) AS day) x
WHERE report_in_period(x.day, period_from, period_to)
GROUP BY d.village, d.district, d.regency, d.province,
         date_trunc('month', x.day)::date, to_char(x.day, 'YYYY-MM')
$$;
COMMENT ON FUNCTION report_activity_monthly_at(date, date, text) IS
    'report_activity_monthly for changes whose day (in tz) is in the period.';

CREATE VIEW report_activity_monthly AS
SELECT * FROM report_activity_monthly_at();
COMMENT ON VIEW report_activity_monthly IS
    'Activity per village and calendar month of the change''s day in the session time zone: '
    'records, edits, documents and devices. The same changes `balai report activity` counts '
    '(it groups them by device and ISO week: report_activity_weekly, report_activity_devices).';
COMMENT ON COLUMN report_activity_monthly.village IS 'Village code.';
COMMENT ON COLUMN report_activity_monthly.district IS 'District code.';
COMMENT ON COLUMN report_activity_monthly.regency IS 'Regency code.';
COMMENT ON COLUMN report_activity_monthly.province IS 'Province code.';
COMMENT ON COLUMN report_activity_monthly.month IS 'The month''s first day.';
COMMENT ON COLUMN report_activity_monthly.month_label IS 'The month as YYYY-MM.';
COMMENT ON COLUMN report_activity_monthly.records IS
    'Documents created that month: their first change.';
COMMENT ON COLUMN report_activity_monthly.edits IS 'Every other change that month.';
COMMENT ON COLUMN report_activity_monthly.documents IS
    'Distinct documents changed that month (adds up over villages, not over months).';
COMMENT ON COLUMN report_activity_monthly.devices IS
    'Distinct devices (automerge actors) that changed the village''s documents that month '
    '(does not add up over villages or months).';

CREATE FUNCTION report_activity_weekly_at(
    period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    tz text DEFAULT current_setting('TimeZone')
) RETURNS TABLE (
    village text, actor text, iso_week text, week_start date,
    records bigint, edits bigint, documents bigint
)
LANGUAGE sql STABLE
AS $$
SELECT d.village, c.actor,
       to_char(x.day, 'IYYY') || '-W' || to_char(x.day, 'IW'),
       x.day - (extract(isodow FROM x.day)::integer - 1),
       count(*) FILTER (WHERE c.record),
       count(*) FILTER (WHERE NOT c.record),
       count(DISTINCT c.doc_id)
FROM changes c
JOIN documents d ON d.doc_id = c.doc_id
CROSS JOIN LATERAL (SELECT report_change_day(c.at, tz) AS day) x
WHERE report_in_period(x.day, period_from, period_to)
GROUP BY d.village, c.actor,
         to_char(x.day, 'IYYY') || '-W' || to_char(x.day, 'IW'),
         x.day - (extract(isodow FROM x.day)::integer - 1)
$$;
COMMENT ON FUNCTION report_activity_weekly_at(date, date, text) IS
    'report_activity_weekly for changes whose day (in tz) is in the period.';

CREATE VIEW report_activity_weekly AS
SELECT * FROM report_activity_weekly_at();
COMMENT ON VIEW report_activity_weekly IS
    'Activity per village, device and ISO 8601 week, in the session time zone. Summed over the '
    'villages of a region it is `balai report activity` weeks.';
COMMENT ON COLUMN report_activity_weekly.village IS 'Village code.';
COMMENT ON COLUMN report_activity_weekly.actor IS 'The device: its automerge actor id, hex.';
COMMENT ON COLUMN report_activity_weekly.iso_week IS
    'ISO week, e.g. 2026-W53 (the ISO week-numbering year, which differs around New Year).';
COMMENT ON COLUMN report_activity_weekly.week_start IS 'The Monday of the week.';
COMMENT ON COLUMN report_activity_weekly.records IS 'Documents the device created that week.';
COMMENT ON COLUMN report_activity_weekly.edits IS 'Every other change of the device that week.';
COMMENT ON COLUMN report_activity_weekly.documents IS
    'Distinct documents the device changed that week.';

CREATE FUNCTION report_activity_devices_at(
    today date, period_from date DEFAULT NULL, period_to date DEFAULT NULL,
    tz text DEFAULT current_setting('TimeZone')
) RETURNS TABLE (
    village text, actor text, records bigint, edits bigint, documents bigint, undated bigint,
    after_today bigint, first_day date, last_day date
)
LANGUAGE sql STABLE
AS $$
WITH placed AS (
    SELECT d.village, c.actor, c.doc_id, c.record, report_change_day(c.at, tz) AS day
    FROM changes c
    JOIN documents d ON d.doc_id = c.doc_id
)
SELECT p.village, p.actor,
       count(*) FILTER (WHERE p.record AND report_in_period(p.day, period_from, period_to)),
       count(*) FILTER (WHERE NOT p.record AND report_in_period(p.day, period_from, period_to)),
       count(DISTINCT p.doc_id) FILTER (WHERE report_in_period(p.day, period_from, period_to)),
       count(*) FILTER (WHERE p.day IS NULL),
       count(*) FILTER (WHERE p.day > today AND report_in_period(p.day, period_from, period_to)),
       min(p.day) FILTER (WHERE report_in_period(p.day, period_from, period_to)),
       max(p.day) FILTER (WHERE report_in_period(p.day, period_from, period_to))
FROM placed p
GROUP BY p.village, p.actor
HAVING count(*) FILTER (WHERE p.day IS NULL OR report_in_period(p.day, period_from, period_to))
       > 0
$$;
COMMENT ON FUNCTION report_activity_devices_at(date, date, date, text) IS
    'report_activity_devices as of `today` for changes whose day (in tz) is in the period.';

CREATE VIEW report_activity_devices AS
SELECT * FROM report_activity_devices_at(current_date);
COMMENT ON VIEW report_activity_devices IS
    'Activity per village and device, over every week, in the session time zone. Summed over '
    'the villages of a region (min of first_day, max of last_day) it is `balai report activity` '
    'devices. A device is listed with a dated change in the period or an undated one.';
COMMENT ON COLUMN report_activity_devices.village IS 'Village code.';
COMMENT ON COLUMN report_activity_devices.actor IS 'The device: its automerge actor id, hex.';
COMMENT ON COLUMN report_activity_devices.records IS 'Documents the device created.';
COMMENT ON COLUMN report_activity_devices.edits IS 'Every other change of the device.';
COMMENT ON COLUMN report_activity_devices.documents IS 'Distinct documents the device changed.';
COMMENT ON COLUMN report_activity_devices.undated IS
    'Changes without a usable time (none given, or not after 1970): in no other figure, '
    'whatever the period.';
COMMENT ON COLUMN report_activity_devices.after_today IS
    'Of records + edits, the changes dated after today: the device''s clock was ahead.';
COMMENT ON COLUMN report_activity_devices.first_day IS 'The day of its first dated change.';
COMMENT ON COLUMN report_activity_devices.last_day IS 'The day of its last dated change.';
