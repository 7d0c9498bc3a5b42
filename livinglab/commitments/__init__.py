"""Commitments: a regency's public promise to raise SPBE indicators, tracked to the end."""
