// Entities of one type counted in every city, region and country that contains them.
MATCH (pl:AiecoNode) WHERE pl:City OR pl:Region OR pl:Country
MATCH (m:AiecoNode)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
WHERE $type IN labels(m) AND m <> pl
WITH pl, count(DISTINCT m) AS count
RETURN pl.id AS place, [l IN labels(pl) WHERE l <> 'AiecoNode'][0] AS place_type,
       coalesce(pl.name_en, pl.id) AS name, count
