"""Official results and what they say about commitments: imports, judging, scorecards, impact and cohorts."""
