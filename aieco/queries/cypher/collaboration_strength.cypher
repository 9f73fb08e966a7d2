// Joint works per pair of organisations, summed over the years (COLLABORATES_WITH), and the pair's
// association strength 2m·c/(s_a·s_b): m all joint works, s an organisation's joint works with anyone.
CALL () {
  MATCH ()-[all:COLLABORATES_WITH]->()
  RETURN sum(all.count) AS m
}
MATCH (a:AiecoNode)-[r:COLLABORATES_WITH]->(b:AiecoNode)
WHERE $entity = '' OR a.id = $entity OR b.id = $entity
WITH m, a, b, sum(r.count) AS joint_works, count(DISTINCT r.year) AS years, min(r.year) AS first_year, max(r.year) AS last_year
CALL (a) {
  MATCH (a)-[x:COLLABORATES_WITH]-(other) WHERE other <> a
  RETURN sum(x.count) AS sa
}
CALL (b) {
  MATCH (b)-[x:COLLABORATES_WITH]-(other) WHERE other <> b
  RETURN sum(x.count) AS sb
}
RETURN a.id AS a, coalesce(a.name_en, a.id) AS a_name, b.id AS b, coalesce(b.name_en, b.id) AS b_name,
       joint_works, CASE WHEN sa > 0 AND sb > 0 THEN 2.0 * m * joint_works / (sa * sb) END AS association_strength,
       years, first_year, last_year
ORDER BY joint_works DESC, a ASC, b ASC
LIMIT $top
