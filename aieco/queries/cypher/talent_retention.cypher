// Researchers who stayed at, or left, a place from one active year to the next (OpenAlex pulls).
MATCH (o:Observation)-[:ABOUT]->(n:AiecoNode)
WHERE o.indicator IN ['talent_stayed', 'talent_left']
WITH n, sum(CASE WHEN o.indicator = 'talent_stayed' THEN toFloat(o.value) ELSE 0.0 END) AS stayed,
     sum(CASE WHEN o.indicator = 'talent_left' THEN toFloat(o.value) ELSE 0.0 END) AS departed,
     min(o.year) AS first_year, max(o.year) AS last_year
WHERE stayed + departed >= $min_researchers AND stayed + departed > 0
RETURN n.id AS id, coalesce(n.name_en, n.id) AS name, stayed, departed, stayed / (stayed + departed) AS retention,
       first_year, last_year
