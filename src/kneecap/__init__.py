"""Kneecap: a local-first coach for runners with runner's knee (patellofemoral pain).

Not a medical device: it does not diagnose, and it tells the runner when to see a clinician.
"""

__version__ = "0.1.0"

DISCLAIMER = (
    "Kneecap is not a medical device and does not diagnose. It offers an exercise programme "
    "based on published guidance; see a clinician if pain is severe, keeps getting worse, or "
    "comes with any warning sign it asks about."
)
