"""Right Help Right Time recognition: plain Python shared by the NLU component and the actions."""
