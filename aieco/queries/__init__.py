"""The predefined query catalogue (each query in Cypher and in NetworkX/pandas)."""
