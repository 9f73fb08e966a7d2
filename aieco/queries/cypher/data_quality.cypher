// Facts without a known source; facts marked as conflicting; and increases that do not
// equal the difference of the counts they claim to connect (indicator X_increase over
// period_start..period_end against X_count in those years).
CALL () {
  MATCH (n:AiecoNode) WHERE NOT n:Source AND ($check IN ['all', 'unsourced'])
    AND NOT EXISTS { MATCH (s:Source) WHERE s.id = n.source }
  RETURN 'unsourced' AS check, n.id AS id, 'node' AS detail, null AS value
  UNION ALL
  MATCH ()-[r]->() WHERE NOT type(r) IN ['ABOUT', 'RELATIVE_TO'] AND ($check IN ['all', 'unsourced'])
    AND NOT EXISTS { MATCH (s:Source) WHERE s.id = r.source }
  RETURN 'unsourced' AS check, r.key AS id, 'relationship' AS detail, null AS value
  UNION ALL
  MATCH (n:AiecoNode) WHERE n.conflict IS NOT NULL AND ($check IN ['all', 'conflict'])
  RETURN 'conflict' AS check, n.id AS id, n.conflict AS detail, null AS value
  UNION ALL
  MATCH ()-[r]->() WHERE r.conflict IS NOT NULL AND NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
    AND ($check IN ['all', 'conflict'])
  RETURN 'conflict' AS check, r.key AS id, r.conflict AS detail, null AS value
  UNION ALL
  MATCH (o:Observation)-[:ABOUT]->(s)
  WHERE $check IN ['all', 'arithmetic'] AND o.indicator ENDS WITH '_increase'
    AND o.period_start IS NOT NULL AND o.period_end IS NOT NULL
  WITH o, s, left(o.indicator, size(o.indicator) - size('_increase')) + '_count' AS base
  MATCH (a:Observation {indicator: base, year: o.period_start})-[:ABOUT]->(s)
  MATCH (b:Observation {indicator: base, year: o.period_end})-[:ABOUT]->(s)
  WITH o, base, collect(a.value)[0] AS v0, collect(b.value)[0] AS v1
  WHERE v1 - v0 <> o.value
  RETURN 'arithmetic' AS check, o.id AS id, base AS detail, v1 - v0 AS value
}
RETURN check, id, detail, value
