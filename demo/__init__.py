"""Demo data for a believable local installation (``manage.py seed_demo``). Never production."""
