"""Python model stage: the front-end's entity tree (``thg_spec``) as Python types and a package
plan."""
