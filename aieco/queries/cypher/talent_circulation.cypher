// Per place at $level: distinct researchers arriving and leaving over counted talent flows between
// places (listed keys once each, plus the counts of flows that list none).
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
UNWIND [{place: pa, into: false}, {place: pb, into: true}] AS e
WITH e.place AS place, collect(CASE WHEN e.into THEN r END) AS ins, collect(CASE WHEN NOT e.into THEN r END) AS outs
CALL (ins) {
  UNWIND ins AS x
  UNWIND coalesce(x.researchers, []) AS k
  RETURN count(DISTINCT k) AS keyed_in
}
CALL (outs) {
  UNWIND outs AS x
  UNWIND coalesce(x.researchers, []) AS k
  RETURN count(DISTINCT k) AS keyed_out
}
WITH place,
     keyed_in + reduce(s = 0.0, x IN ins | s + CASE WHEN x.researchers IS NULL THEN x.count ELSE 0.0 END) AS inflow,
     keyed_out + reduce(s = 0.0, x IN outs | s + CASE WHEN x.researchers IS NULL THEN x.count ELSE 0.0 END) AS outflow
RETURN place.id AS place, coalesce(place.name_en, place.id) AS name, inflow, outflow, inflow - outflow AS net,
       inflow + outflow AS gross,
       CASE WHEN inflow + outflow > 0 THEN (inflow - outflow) / (inflow + outflow) ELSE null END AS balance
