"""The web app for the runner: server-rendered pages, each with a JSON twin (`/api/...`)."""
