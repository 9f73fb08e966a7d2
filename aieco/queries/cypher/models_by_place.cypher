// AI models by the place at $level holding their developers (nearest by containment, ties by id;
// a developer that is such a place stands for itself): each model counted once per place.
MATCH (d:AiecoNode)-[:DEVELOPS]->(m:AIModel)
CALL (d) {
  OPTIONAL MATCH p = (d)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl:AiecoNode) WHERE $level IN labels(pl)
  RETURN pl AS up ORDER BY length(p), pl.id LIMIT 1
}
WITH m, CASE WHEN $level IN labels(d) THEN d ELSE up END AS place
WHERE place IS NOT NULL
WITH DISTINCT place, m
WITH place, m, CASE WHEN m.date IS NOT NULL THEN toInteger(substring(m.date, 0, 4)) ELSE m.year END AS year
WITH place, count(m) AS models, min(year) AS first_year, max(year) AS last_year
RETURN place.id AS place, coalesce(place.name_en, place.id) AS name, models, first_year, last_year
ORDER BY models DESC, place ASC
LIMIT $top
