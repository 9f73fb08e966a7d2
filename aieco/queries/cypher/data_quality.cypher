// Facts without a known source; facts marked as conflicting; and increases that do not
// equal the difference of the counts they claim to connect (indicator X_increase over
// period_start..period_end against X_count in those years); the claims ledger's coverage per
// source (stored on the source by the loader); rows whose quote names none of what they support
// (`support` = 'none', set by the loader) and the support check's totals.
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
  UNION ALL
  MATCH (s:Source) WHERE $check IN ['all', 'ledger'] AND s.ledger_facts IS NOT NULL
  RETURN 'ledger' AS check, s.id AS id,
         toString(s.ledger_captured) + ' of ' + toString(s.ledger_facts) + ' fact sentences captured, '
           + toString(coalesce(s.ledger_partial, 0)) + ' partly (' + toString(s.ledger_sentences) + ' sentences)' AS detail,
         CASE WHEN s.ledger_facts = 0 THEN null ELSE toFloat(s.ledger_captured) / s.ledger_facts END AS value
  UNION ALL
  // each partly captured sentence: which figures its rows do not hold
  MATCH (s:Source) WHERE $check IN ['all', 'ledger'] AND size(coalesce(s.ledger_gap_ids, [])) > 0
  UNWIND range(0, size(s.ledger_gap_ids) - 1) AS i
  RETURN 'ledger' AS check, s.ledger_gap_ids[i] AS id, s.ledger_gap_details[i] AS detail, toFloat(split(s.ledger_gap_values[i], '/')[0]) / toFloat(split(s.ledger_gap_values[i], '/')[1]) AS value
  UNION ALL
  MATCH (n:AiecoNode) WHERE $check IN ['all', 'support'] AND n.support = 'none'
  RETURN 'support' AS check, n.id AS id,
         CASE WHEN n:Observation THEN 'observation' ELSE 'entity' END + ': its quote names none of it' AS detail,
         null AS value
  UNION ALL
  MATCH ()-[r]->() WHERE $check IN ['all', 'support'] AND r.support = 'none' AND NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
  RETURN 'support' AS check, r.key AS id, 'relationship: its quote names an end' AS detail, null AS value
  UNION ALL
  OPTIONAL MATCH (n:AiecoNode) WHERE $check IN ['all', 'support'] AND n.support IS NOT NULL
  WITH collect(n.support) AS on_nodes
  OPTIONAL MATCH ()-[r]->() WHERE $check IN ['all', 'support'] AND r.support IS NOT NULL
    AND NOT type(r) IN ['ABOUT', 'RELATIVE_TO']
  WITH on_nodes, collect(r.support) AS on_rels
  WITH on_nodes + on_rels AS found
  WITH found, size([v IN found WHERE v = 'quote']) AS by_quote, size([v IN found WHERE v = 'see_also']) AS by_public
  WHERE size(found) > 0
  RETURN 'support' AS check, 'all' AS id,
         toString(by_quote) + ' by their quote, ' + toString(by_public) + ' by a public source, '
           + toString(size(found) - by_quote - by_public) + ' unsupported' AS detail,
         toFloat(by_quote + by_public) / size(found) AS value
}
RETURN check, id, detail, value
