// Neighbours of one entity, by relation, with the source of each relationship.
MATCH (e:AiecoNode {id: $entity})-[r]->(n:AiecoNode)
WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
RETURN 'out' AS direction, type(r) AS relation, n.id AS neighbour,
       [l IN labels(n) WHERE l <> 'AiecoNode'][0] AS neighbour_type,
       coalesce(n.name_en, n.title, n.id) AS neighbour_name, r.year AS year, r.source AS source
UNION ALL
MATCH (e:AiecoNode {id: $entity})<-[r]-(n:AiecoNode)
WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
RETURN 'in' AS direction, type(r) AS relation, n.id AS neighbour,
       [l IN labels(n) WHERE l <> 'AiecoNode'][0] AS neighbour_type,
       coalesce(n.name_en, n.title, n.id) AS neighbour_name, r.year AS year, r.source AS source
