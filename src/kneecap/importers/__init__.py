"""Activity importers: one pure parser per format, producing core.activity.Activity."""
