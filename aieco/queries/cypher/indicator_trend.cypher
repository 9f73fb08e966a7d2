// One indicator over the years: value, rank within each year among the chosen subjects
// (1 + how many beat it), the rank in the subject's previous year, and the change.
MATCH (o:Observation {indicator: $indicator})-[:ABOUT]->(s:AiecoNode)
WHERE o.year IS NOT NULL AND o.kind = $kind AND (size($subjects) = 0 OR s.id IN $subjects)
WITH collect({subject: s.id, name: coalesce(s.name_en, s.id), year: o.year, value: o.value}) AS rows
UNWIND rows AS r
WITH rows, r, 1 + size([x IN rows WHERE x.year = r.year AND x.value > r.value]) AS rank
WITH collect({subject: r.subject, name: r.name, year: r.year, value: r.value, rank: rank}) AS ranked
UNWIND ranked AS r
WITH r, [x IN ranked WHERE x.subject = r.subject AND x.year < r.year] AS earlier
WITH r, earlier, reduce(m = -1, x IN earlier | CASE WHEN x.year > m THEN x.year ELSE m END) AS last
WITH r, [x IN earlier WHERE x.year = last | x.rank] AS last_ranks
WITH r, CASE WHEN size(last_ranks) = 0 THEN null
             ELSE reduce(m = last_ranks[0], x IN last_ranks | CASE WHEN x < m THEN x ELSE m END) END AS previous_rank
RETURN r.subject AS subject, r.name AS name, r.year AS year, r.value AS value, r.rank AS rank,
       previous_rank, previous_rank - r.rank AS rank_change
