// Per place at a level: its members' total degree (hand-written relationships) summed, averaged, maxed.
MATCH (pl:AiecoNode) WHERE $level IN labels(pl)
MATCH (m:AiecoNode)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
WHERE m <> pl
WITH pl, collect(DISTINCT m) AS members
UNWIND members AS m
WITH pl, m, COUNT { (m)-[r]-() WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO'] } AS degree
WITH pl, count(m) AS members, sum(degree) AS degree_sum, max(degree) AS degree_max
RETURN pl.id AS place, coalesce(pl.name_en, pl.id) AS name, members, degree_sum,
       toFloat(degree_sum) / members AS degree_mean, degree_max
ORDER BY degree_sum DESC, place ASC
LIMIT $top
