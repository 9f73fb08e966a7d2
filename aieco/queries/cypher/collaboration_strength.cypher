// Joint works per pair of organisations, summed over the years (COLLABORATES_WITH).
MATCH (a:AiecoNode)-[r:COLLABORATES_WITH]->(b:AiecoNode)
WHERE $entity = '' OR a.id = $entity OR b.id = $entity
WITH a, b, sum(r.count) AS joint_works, count(DISTINCT r.year) AS years, min(r.year) AS first_year, max(r.year) AS last_year
RETURN a.id AS a, coalesce(a.name_en, a.id) AS a_name, b.id AS b, coalesce(b.name_en, b.id) AS b_name,
       joint_works, years, first_year, last_year
ORDER BY joint_works DESC, a ASC, b ASC
LIMIT $top
