"""The agency administrator's pages: organisation, people, evaluators, catalog, policy,
proposals and publishing (shown when the agency signed in with the agency key)."""
