"""Follow-up, evaluation and learning: models arrive with the evaluation issue."""
