// Concentration of a ranking's members over places at one level. A member weighs the sum of
// its edges' `count` (1 where none); its place is itself at that level, or the nearest place of
// that level along LOCATED_IN/HEADQUARTERED_IN (ties by id). Gini = sum|xi-xj| / (2 n total).
MATCH (k:AiecoNode {id: $ranking})
CALL (k) {
  MATCH (m:AiecoNode)-[r:LISTED_IN|MEMBER_OF]->(k)
  WITH m, sum(coalesce(r.count, 1)) AS w
  OPTIONAL MATCH p = (m)-[:LOCATED_IN|HEADQUARTERED_IN*1..4]->(pl)
  WHERE $level IN labels(pl)
  WITH m, w, pl, length(p) AS d ORDER BY d, pl.id
  WITH m, w, collect(pl.id) AS found
  RETURN collect({w: w, place: CASE WHEN $level IN labels(m) THEN m.id ELSE found[0] END}) AS rows
}
WITH k, rows, [x IN rows WHERE x.place IS NOT NULL] AS placed
CALL (placed) {
  UNWIND placed AS x
  WITH x.place AS place, sum(x.w) AS w
  ORDER BY w DESC
  RETURN collect(toFloat(w)) AS ws
}
WITH k, rows, placed, ws, reduce(t = 0.0, w IN ws | t + w) AS total, size(ws) AS n
RETURN k.id AS ranking, $level AS level, size(rows) AS members, size(rows) - size(placed) AS unplaced,
       n AS places, total,
       CASE WHEN n = 0 OR total = 0 THEN null
            ELSE reduce(t = 0.0, w IN ws[0..$top_n] | t + w) / total END AS top_n_share,
       CASE WHEN n = 0 OR total = 0 THEN null
            ELSE reduce(t = 0.0, w IN ws | t + (w / total) ^ 2) END AS hhi,
       CASE WHEN n = 0 OR total = 0 THEN null
            ELSE reduce(t = 0.0, a IN ws | t + reduce(u = 0.0, b IN ws | u + abs(a - b))) / (2 * n * total) END AS gini
