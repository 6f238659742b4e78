"""Reports: the quarterly overview and the Inspectie's registration, as data and as files."""
