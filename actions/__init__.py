"""Custom actions for the Family Hubs assistant (rasa-sdk). One module per feature."""
