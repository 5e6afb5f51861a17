"""Event detection: trigger candidates, PLOVER type classifier, roles and modality."""
