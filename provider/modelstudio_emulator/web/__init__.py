"""The HTTP layer: routing, authentication, fault injection, URL building and the request log."""
