// Compute centres grouped by their nearest place at the chosen level.
MATCH (cc:ComputeCenter)
OPTIONAL MATCH p = (cc)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
WHERE $level IN labels(pl)
WITH cc, pl, length(p) AS d ORDER BY d, pl.id
WITH cc, collect(pl) AS found
WITH found[0] AS place, cc ORDER BY cc.id
WITH place, collect(cc.id) AS ids
RETURN place.id AS place, coalesce(place.name_en, place.id) AS name, size(ids) AS compute_centres,
       reduce(s = '', i IN ids | s + CASE WHEN s = '' THEN '' ELSE '|' END + i) AS ids
