// Per city: its members (containment paths of 1-4 hops), how many types (and their Shannon
// entropy, natural log), links among the city and its members, and links leaving it.
// Containment and derived edges are not counted as links.
MATCH (c:City)
OPTIONAL MATCH (x:AiecoNode)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(c)
WITH c, [m IN collect(DISTINCT x) WHERE m <> c] AS members
WITH c, members, size(members) AS n
WHERE n >= $min_entities
CALL (members, n) {
  UNWIND members AS m
  WITH [l IN labels(m) WHERE l <> 'AiecoNode'][0] AS t, count(*) AS k
  RETURN count(t) AS types, sum(-(toFloat(k) / n) * log(toFloat(k) / n)) AS diversity
}
WITH c, n, types, diversity, members + [c] AS s
CALL (s) {
  UNWIND s AS a
  MATCH (a)-[r]->(b)
  WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO', 'LOCATED_IN', 'HEADQUARTERED_IN']
  RETURN sum(CASE WHEN b IN s THEN 1 ELSE 0 END) AS internal_links,
         sum(CASE WHEN b IN s THEN 0 ELSE 1 END) AS leaving
}
CALL (s) {
  UNWIND s AS b
  MATCH (a)-[r]->(b)
  WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO', 'LOCATED_IN', 'HEADQUARTERED_IN'] AND NOT a IN s
  RETURN count(r) AS entering
}
WITH c, n, types, diversity, internal_links, leaving + entering AS outside_links, size(s) AS size
RETURN c.id AS city, coalesce(c.name_en, c.id) AS name, n AS entities, types, diversity,
       internal_links, outside_links,
       CASE WHEN size > 1 THEN toFloat(internal_links) / (size * (size - 1)) ELSE 0.0 END AS density,
       CASE WHEN internal_links + outside_links > 0
            THEN toFloat(outside_links) / (internal_links + outside_links) ELSE 0.0 END AS outside_share
ORDER BY entities DESC, types DESC, city ASC
LIMIT $top
