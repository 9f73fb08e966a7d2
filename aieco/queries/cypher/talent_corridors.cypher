// Counted talent flows moved to the places at $level holding both ends (nearest by containment,
// ties by id; 'entity' keeps the ends), researchers added per corridor; moves inside a place drop out.
MATCH (a:AiecoNode)-[r:TALENT_FLOW]->(b:AiecoNode)
WHERE r.count IS NOT NULL
CALL (a) {
  OPTIONAL MATCH p = (a)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl:AiecoNode) WHERE $level IN labels(pl)
  RETURN pl AS up ORDER BY length(p), pl.id LIMIT 1
}
CALL (b) {
  OPTIONAL MATCH p = (b)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl:AiecoNode) WHERE $level IN labels(pl)
  RETURN pl AS down ORDER BY length(p), pl.id LIMIT 1
}
WITH r,
     CASE WHEN $level = 'entity' OR $level IN labels(a) THEN a ELSE up END AS pa,
     CASE WHEN $level = 'entity' OR $level IN labels(b) THEN b ELSE down END AS pb
WHERE pa IS NOT NULL AND pb IS NOT NULL AND pa <> pb
WITH pa, pb, sum(r.count) AS researchers, count(r) AS flows, min(r.year) AS first_year, max(r.year) AS last_year
RETURN pa.id AS from, coalesce(pa.name_en, pa.id) AS from_name, pb.id AS to, coalesce(pb.name_en, pb.id) AS to_name,
       researchers, flows, first_year, last_year
ORDER BY researchers DESC, from ASC, to ASC
LIMIT $top
