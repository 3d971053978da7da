"""The council's case API for requests for early help: the client the service uses and a reference server."""
