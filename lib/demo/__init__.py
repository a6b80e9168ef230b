"""Demo and test data: one seeded builder (`builder`) and a row factory (`factory`)."""
