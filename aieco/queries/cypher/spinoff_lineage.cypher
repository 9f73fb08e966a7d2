// Spin-off lineage: ancestors (generation > 0) and descendants (< 0) along SPUN_OFF_FROM.
MATCH (c:AiecoNode {id: $company})
OPTIONAL MATCH p = (c)-[:SPUN_OFF_FROM*1..10]->(a)
WITH c, a, min(length(p)) AS up
WITH c, collect(CASE WHEN a IS NULL THEN NULL ELSE {id: a.id, name: coalesce(a.name_en, a.id), generation: up} END) AS ups
OPTIONAL MATCH q = (d)-[:SPUN_OFF_FROM*1..10]->(c)
WITH c, ups, d, min(length(q)) AS down
WITH c, ups, collect(CASE WHEN d IS NULL THEN NULL ELSE {id: d.id, name: coalesce(d.name_en, d.id), generation: -down} END) AS downs
UNWIND [{id: c.id, name: coalesce(c.name_en, c.id), generation: 0}] + ups + downs AS row
RETURN row.id AS id, row.name AS name, row.generation AS generation
