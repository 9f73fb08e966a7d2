// Members of a ranking or group and their place at the chosen level.
MATCH (m:AiecoNode)-[r:LISTED_IN|MEMBER_OF]->(k:AiecoNode {id: $ranking})
OPTIONAL MATCH p = (m)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
WHERE $level IN labels(pl)
WITH m, r, pl, length(p) AS d ORDER BY d, pl.id
WITH m, r, collect(pl) AS found
WITH m, r, CASE WHEN $level IN labels(m) THEN m ELSE found[0] END AS place
RETURN m.id AS member, coalesce(m.name_en, m.id) AS member_name,
       [l IN labels(m) WHERE l <> 'AiecoNode'][0] AS member_type,
       r.rank AS rank, r.count AS count, r.role AS role, r.year AS year,
       place.id AS place, coalesce(place.name_en, place.id) AS place_name
