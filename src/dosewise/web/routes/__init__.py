"""One router per page family. Each module defines ``router``; app.py mounts it twice (HTML and /api/v1)."""
