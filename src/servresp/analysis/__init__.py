"""The analysis stage: fault trees over duties, and change impact and model diff."""
