"""A small fake of Twilio's Messages API for local runs and tests: records what was sent, and calls back."""
