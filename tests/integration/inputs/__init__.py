"""Input files of every format the corpus readers take, made by the tests from articles written here."""
