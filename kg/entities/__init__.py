"""Entities: NER backends, posts and organisations, in-document resolution."""
