"""Community survey: the questionnaire, importing real exports, and a synthetic generator."""
