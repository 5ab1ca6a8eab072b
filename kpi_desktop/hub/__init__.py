"""The agency hub (HTTP service, optional extra [hub])."""
