// Per place at $level: researchers arriving and leaving over counted talent flows between places.
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
UNWIND [{place: pa, inflow: 0.0, outflow: toFloat(r.count)}, {place: pb, inflow: toFloat(r.count), outflow: 0.0}] AS e
WITH e.place AS place, sum(e.inflow) AS inflow, sum(e.outflow) AS outflow
RETURN place.id AS place, coalesce(place.name_en, place.id) AS name, inflow, outflow, inflow - outflow AS net,
       inflow + outflow AS gross,
       CASE WHEN inflow + outflow > 0 THEN (inflow - outflow) / (inflow + outflow) ELSE null END AS balance
