"""Keys, signed bundles, import/export and transports."""
