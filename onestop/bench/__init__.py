"""The benchmark (`make bench`): a province's year of dossiers, measured beside bare baselines."""
