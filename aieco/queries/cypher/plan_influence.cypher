// Plan -> what it supports/targets/funds, the plan's issuers, and the target's nearest city.
MATCH (plan:Plan)-[r:SUPPORTS|TARGETS|FUNDS]->(t:AiecoNode)
WHERE $plan = '' OR plan.id = $plan
OPTIONAL MATCH (plan)-[:ISSUED_BY]->(i)
WITH plan, r, t, i ORDER BY i.id
WITH plan, r, t, collect(i.id) AS issuers
OPTIONAL MATCH p = (t)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(c:City)
WITH plan, r, t, issuers, c, length(p) AS d ORDER BY d, c.id
WITH plan, r, t, issuers, collect(c.id) AS cities
RETURN plan.id AS plan, coalesce(plan.name_en, plan.id) AS plan_name,
       CASE WHEN size(issuers) = 0 THEN null
            ELSE reduce(s = '', x IN issuers | s + CASE WHEN s = '' THEN '' ELSE '|' END + x) END AS issuers,
       type(r) AS relation, t.id AS target, [l IN labels(t) WHERE l <> 'AiecoNode'][0] AS target_type,
       CASE WHEN t:City THEN t.id ELSE cities[0] END AS target_city
