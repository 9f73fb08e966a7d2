// The shortest path between two entities over hand-written relationships, any direction.
// Among equally short paths, the one whose list of ids sorts first; per step, the
// alphabetically first relation type joining it to the next node.
MATCH (s:AiecoNode {id: $source}), (t:AiecoNode {id: $target})
MATCH p = allShortestPaths((s)-[*..15]-(t))
WHERE all(n IN nodes(p) WHERE NOT n:Observation AND NOT n:Source)
  AND all(r IN relationships(p) WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO'])
WITH nodes(p) AS ns ORDER BY [n IN nodes(p) | n.id] LIMIT 1
UNWIND range(0, size(ns) - 1) AS i
WITH ns, i, ns[i] AS n
OPTIONAL MATCH (n)-[r]-(m)
WHERE i < size(ns) - 1 AND m = ns[i + 1] AND NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
WITH i, n, min(type(r)) AS relation
RETURN i AS step, n.id AS id, [l IN labels(n) WHERE l <> 'AiecoNode'][0] AS type,
       coalesce(n.name_en, n.id) AS name, relation
