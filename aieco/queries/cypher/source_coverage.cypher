// Facts (entities, hand-written relationships, observations) supported by each source.
MATCH (s:Source)
CALL (s) {
  MATCH (n:AiecoNode) WHERE n.source = s.id AND NOT n:Observation AND NOT n:Source
  RETURN count(n) AS entities
}
CALL (s) {
  MATCH (o:Observation) WHERE o.source = s.id
  RETURN count(o) AS observations
}
CALL (s) {
  MATCH ()-[r]->() WHERE r.source = s.id AND NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
  RETURN count(r) AS relationships
}
WITH s, entities, relationships, observations, entities + relationships + observations AS total
WHERE total >= $min_total
RETURN s.id AS source, s.title AS title, entities, relationships, observations, total
