"""Networking shared by the front of the pipeline (fetching articles) and the engines (endpoints)."""
