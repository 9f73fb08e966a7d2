// Entities ranked by degree over hand-written relationships (ABOUT/RELATIVE_TO excluded).
MATCH (n:AiecoNode)
WHERE NOT n:Observation AND NOT n:Source AND ($type = '' OR $type IN labels(n))
WITH n,
     COUNT { (n)-[r]->() WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO'] } AS outdeg,
     COUNT { (n)<-[r]-() WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO'] } AS indeg
WITH n, CASE $direction WHEN 'in' THEN indeg WHEN 'out' THEN outdeg ELSE indeg + outdeg END AS degree
RETURN n.id AS id, [l IN labels(n) WHERE l <> 'AiecoNode'][0] AS type,
       coalesce(n.name_en, n.id) AS name, degree
ORDER BY degree DESC, id ASC
LIMIT $top
