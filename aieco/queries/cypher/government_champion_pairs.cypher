// Government-side entities (bodies, places, plans, zones) and companies joined by
// SUPPORTS, PARTNERS_WITH or FUNDS, in either direction.
MATCH (a:AiecoNode)-[r:SUPPORTS|PARTNERS_WITH|FUNDS]->(b:AiecoNode)
WITH a, r, b,
     (a:GovernmentBody OR a:City OR a:Region OR a:Country OR a:Plan OR a:Park) AND b:Company AS forward,
     a:Company AND (b:GovernmentBody OR b:City OR b:Region OR b:Country OR b:Plan OR b:Park) AS backward
WHERE forward OR backward
WITH r, CASE WHEN forward THEN a ELSE b END AS gov, CASE WHEN forward THEN b ELSE a END AS co,
     CASE WHEN forward THEN 'government→company' ELSE 'company→government' END AS direction
WHERE $company = '' OR co.id = $company
RETURN gov.id AS government, [l IN labels(gov) WHERE l <> 'AiecoNode'][0] AS government_type,
       type(r) AS relation, direction, co.id AS company, coalesce(co.name_en, co.id) AS company_name,
       r.source AS source
