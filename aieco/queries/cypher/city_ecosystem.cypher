// Everything with a LOCATED_IN/HEADQUARTERED_IN path (1-4 hops) to the place, with the shortest hop count.
MATCH (c:AiecoNode {id: $city})
MATCH p = (x:AiecoNode)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(c)
WHERE x <> c
WITH x, min(length(p)) AS hops
RETURN x.id AS id, [l IN labels(x) WHERE l <> 'AiecoNode'][0] AS type, coalesce(x.name_en, x.id) AS name, hops,
       x.source AS source
