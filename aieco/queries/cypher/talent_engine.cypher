// Universities, research labs and companies per place (containment paths of 1-4 hops).
MATCH (pl:AiecoNode) WHERE $level IN labels(pl)
OPTIONAL MATCH (m:AiecoNode)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
WITH pl, [x IN collect(DISTINCT m) WHERE x <> pl] AS members
WITH pl, size([x IN members WHERE x:University]) AS universities,
     size([x IN members WHERE x:ResearchLab]) AS research_labs,
     size([x IN members WHERE x:Company]) AS companies
WHERE universities + research_labs + companies > 0
RETURN pl.id AS place, coalesce(pl.name_en, pl.id) AS name, universities, research_labs, companies,
       CASE WHEN universities > 0 THEN toFloat(companies) / universities ELSE null END AS companies_per_university
ORDER BY universities DESC, companies DESC, place ASC
LIMIT $top
