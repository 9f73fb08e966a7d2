// Per entity with talent flows: flows in and out, summed counts and shares, net count.
MATCH (n:AiecoNode)
WITH n,
     [(n)<-[r:TALENT_FLOW]-() | r] AS ins,
     [(n)-[r:TALENT_FLOW]->() | r] AS outs
WHERE size(ins) + size(outs) >= $min_flows
WITH n, ins, outs,
     reduce(s = 0.0, r IN ins | s + coalesce(r.count, 0)) AS count_in,
     reduce(s = 0.0, r IN outs | s + coalesce(r.count, 0)) AS count_out
RETURN n.id AS id, coalesce(n.name_en, n.id) AS name, size(ins) AS flows_in, size(outs) AS flows_out,
       count_in, count_out, count_in - count_out AS net_count,
       reduce(s = 0.0, r IN ins | s + coalesce(r.share, 0)) AS share_in,
       reduce(s = 0.0, r IN outs | s + coalesce(r.share, 0)) AS share_out
