// Pairs of organisations sharing a ranking/group (LISTED_IN, MEMBER_OF) or a plan
// (SUPPORTS, TARGETS, FUNDS), with the shared ids.
CALL () {
  MATCH (a)-[:LISTED_IN|MEMBER_OF]->(x:Ranking)<-[:LISTED_IN|MEMBER_OF]-(b)
  WHERE a.id < b.id
    AND (a:Company OR a:University OR a:ResearchLab OR a:GovernmentBody)
    AND (b:Company OR b:University OR b:ResearchLab OR b:GovernmentBody)
  RETURN a, b, x
  UNION
  MATCH (a)<-[:SUPPORTS|TARGETS|FUNDS]-(x:Plan)-[:SUPPORTS|TARGETS|FUNDS]->(b)
  WHERE a.id < b.id
    AND (a:Company OR a:University OR a:ResearchLab OR a:GovernmentBody)
    AND (b:Company OR b:University OR b:ResearchLab OR b:GovernmentBody)
  RETURN a, b, x
}
WITH a, b, x ORDER BY x.id
WITH a, b, collect(DISTINCT x.id) AS via
WHERE size(via) >= $min_shared
RETURN a.id AS a, coalesce(a.name_en, a.id) AS a_name, b.id AS b, coalesce(b.name_en, b.id) AS b_name,
       size(via) AS shared, reduce(s = '', v IN via | s + CASE WHEN s = '' THEN '' ELSE '|' END + v) AS via
