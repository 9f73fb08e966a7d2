// TALENT_FLOW relationships, optionally from and/or to one entity.
MATCH (a:AiecoNode)-[r:TALENT_FLOW]->(b:AiecoNode)
WHERE ($from_id = '' OR a.id = $from_id) AND ($to_id = '' OR b.id = $to_id)
RETURN a.id AS from, coalesce(a.name_en, a.id) AS from_name, b.id AS to, coalesce(b.name_en, b.id) AS to_name,
       r.share AS share, r.count AS count, r.year AS year, r.source AS source
