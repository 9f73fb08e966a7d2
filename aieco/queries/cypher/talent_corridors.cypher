// Counted talent flows moved to the places at $level holding both ends (nearest by containment,
// ties by id; 'entity' keeps the ends); moves inside a place drop out. A corridor counts distinct
// researchers: the keys its flows list, once each, plus the counts of flows that list none.
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
WITH pa, pb, collect(r) AS rs, count(r) AS flows, min(r.year) AS first_year, max(r.year) AS last_year
CALL (rs) {
  UNWIND rs AS e
  UNWIND coalesce(e.researchers, []) AS k
  RETURN count(DISTINCT k) AS keyed
}
WITH pa, pb, flows, first_year, last_year,
     keyed + reduce(s = 0.0, e IN rs | s + CASE WHEN e.researchers IS NULL THEN e.count ELSE 0.0 END) AS researchers
RETURN pa.id AS from, coalesce(pa.name_en, pa.id) AS from_name, pb.id AS to, coalesce(pb.name_en, pb.id) AS to_name,
       researchers, flows, first_year, last_year
ORDER BY researchers DESC, from ASC, to ASC
LIMIT $top
