// AI models, their developers, and the developer's nearest city (via LOCATED_IN/HEADQUARTERED_IN).
MATCH (d:AiecoNode)-[:DEVELOPS]->(m:AIModel)
WHERE $developer_type = '' OR $developer_type IN labels(d)
OPTIONAL MATCH p = (d)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(c:City)
WITH m, d, c, length(p) AS hops ORDER BY hops, c.id
WITH m, d, collect(c.id) AS cities
RETURN m.id AS model, coalesce(m.name_en, m.id) AS model_name, d.id AS developer,
       coalesce(d.name_en, d.id) AS developer_name,
       [l IN labels(d) WHERE l <> 'AiecoNode'][0] AS developer_type,
       CASE WHEN d:City THEN d.id ELSE cities[0] END AS city
