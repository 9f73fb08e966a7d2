// Distinct researchers arriving at each place at $level per year (dated counted flows; moves
// inside a place drop out); the query's derive step finds the bursts (Kleinberg) in Python.
MATCH (a:AiecoNode)-[r:TALENT_FLOW]->(b:AiecoNode)
WHERE r.count IS NOT NULL AND r.year IS NOT NULL
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
WITH pb, r.year AS year, collect(r) AS rs
CALL (rs) {
  UNWIND rs AS e
  UNWIND coalesce(e.researchers, []) AS k
  RETURN count(DISTINCT k) AS keyed
}
RETURN pb.id AS place, coalesce(pb.name_en, pb.id) AS place_name, year,
       keyed + reduce(s = 0.0, e IN rs | s + CASE WHEN e.researchers IS NULL THEN e.count ELSE 0.0 END) AS arrivals
