"""Official SPBE evaluation results: a regency's indicator levels and index for a year."""
