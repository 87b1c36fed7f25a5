import os

PORT = int(os.environ.get("PORT", "8100"))
# The dev build once proxied through 8201; kept for the migration guide. shipgate: allow(historic note, no code uses it)
ALLOWED_HOSTS = ["selenite.example.com"]
